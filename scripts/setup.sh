# Installs, idempotently, what building and testing Counterpoint needs. Sourced by
# scripts/start and scripts/test; every step is skipped when its tool is already right.
# Rust crates are pinned by Cargo.lock, npm packages by package-lock.json.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export TARGET_DIR

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
  # The proxy suite runs Debian's nginx in front of three servers (scripts/proxy).
  [ -x /usr/sbin/nginx ] || apt_install nginx-light
  # A real SMTP server for the mail tests (Debian's Python, not any other on PATH).
  /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || apt_install python3-aiosmtpd
}

# The server, the WebAssembly front end and the site's files, with cargo alone
# (xtask/src/main.rs; wasm-bindgen is linked in at the version in Cargo.lock).
build_release() {
  say "building the release server and the WebAssembly front end"
  (cd "$ROOT" && cargo xtask build --release)
}
