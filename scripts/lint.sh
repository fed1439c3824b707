#!/usr/bin/env bash
# `make lint` (and a step of `make test`): clippy for the server (ssr, every target) and the
# browser (hydrate, wasm32) with warnings as errors, leptosfmt on the view! macros, and
# cargo-machete for unused dependencies. Exits non-zero naming each check that failed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
cd "$ROOT"
failed=()
say() { printf '\n--> %s\n' "$*" >&2; }

say "clippy (ssr: lib, bins, tests; no app function over 80 lines, see src/lib.rs)"
env "${CR_DEV_BUILD_ENV[@]}" cargo clippy --features ssr --all-targets -- -D warnings || failed+=(clippy-ssr)

say "clippy (hydrate, wasm32)"
# shellcheck disable=SC2086 # LIB_CARGO_ARGS holds several words on purpose (fallback build-std)
env "${CR_DEV_BUILD_ENV[@]}" cargo clippy --features hydrate --lib --target wasm32-unknown-unknown \
  $LIB_CARGO_ARGS -- -D warnings || failed+=(clippy-hydrate)

say "leptosfmt --check"
leptosfmt --check --quiet src >/dev/null || {
  leptosfmt --check src 2>&1 | tail -n 20 >&2
  failed+=(leptosfmt)
}

say "cargo machete"
cargo machete --with-metadata . || failed+=(machete)

if ((${#failed[@]})); then
  echo "lint failed: ${failed[*]}" >&2
  exit 1
fi
echo "lint: clippy (ssr, hydrate), leptosfmt and machete clean" >&2
