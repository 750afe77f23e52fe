# Installs, idempotently, what building and testing Counterpoint needs. Sourced by
# scripts/start and scripts/test; every step is skipped when its tool is already right.
# Versions are pinned where a mismatch breaks the build (see README "Toolchain").

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export TARGET_DIR
CARGO_LEPTOS_VERSION="0.3.10"
# The wasm-bindgen CLI must equal the crate in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PATH"

apt_install() {
  say "installing $* from Debian"
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

setup_build_tools() {
  command -v cargo >/dev/null || { echo "cargo (Rust) is required" >&2; exit 1; }
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 13 minutes on 2 cores)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
    # --locked fails: one locked dependency is gone from the index.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback \
      cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  # wasm-opt comes from npm's binaryen: Debian's breaks hydration. Browsers are never
  # downloaded: Playwright drives Debian's Chromium.
  if [ ! -f "$ROOT/node_modules/.package-lock.json" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm packages"
    (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup_test_tools() {
  command -v chromium >/dev/null || apt_install chromium
  command -v psql >/dev/null || apt_install postgresql-client
  # A real SMTP server for the mail tests (Debian's Python, not any other on PATH).
  /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || apt_install python3-aiosmtpd
}

build_release() {
  say "building the release server and the WebAssembly front end"
  (cd "$ROOT" && cargo leptos build --release)
}
