# Shared by the scripts in this folder: versions of the build tools and how to install them.
# Every tool comes from rustup, crates.io, npm or Debian; nothing is downloaded from elsewhere.

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate in Cargo.lock
BINARYEN_VERSION=132.0.0       # npm's binaryen; Debian's (108) breaks hydration
LEPTOSFMT_VERSION=0.1.33
DEBIAN_PYTHON=/usr/bin/python3  # the interpreter Debian's python3-* packages belong to
TOOLS_DIR="$PWD/target/tools"
WASM_OPT="$TOOLS_DIR/node_modules/.bin/wasm-opt"
export CARGO_NET_RETRY=10
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# A C compiler (ring and the bundled SQLite build C), the wasm32 target, the pinned
# wasm-bindgen CLI and wasm-opt: enough to build and run.
install_build_tools() {
  if ! command -v cc >/dev/null; then
    step "installing a C compiler from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq gcc libc6-dev
  fi
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: its lock file names a webpki-roots release crates.io no longer serves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if ! "$WASM_OPT" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    step "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
    mkdir -p "$TOOLS_DIR"
    npm install --no-save --no-audit --no-fund --prefix "$TOOLS_DIR" "binaryen@$BINARYEN_VERSION"
  fi
}

# Everything the tests need on top: leptosfmt, Chromium, oathtool, a test SMTP server (Debian's
# aiosmtpd, run by Debian's own Python, which a pyenv or venv python3 on PATH cannot import)
# and the end-to-end test packages.
install_test_tools() {
  install_build_tools
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    step "adding rustfmt and clippy"
    rustup component add rustfmt clippy
  fi
  if [[ "$(leptosfmt --version 2>/dev/null)" != *"$LEPTOSFMT_VERSION"* ]]; then
    step "installing leptosfmt $LEPTOSFMT_VERSION"
    cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked --force
  fi
  if ! command -v chromium >/dev/null || ! command -v oathtool >/dev/null ||
    ! "$DEBIAN_PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
    step "installing Chromium, oathtool and aiosmtpd from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium oathtool \
      python3-aiosmtpd
  fi
  step "installing the end-to-end test packages"
  (cd end2end && npm ci --no-audit --no-fund)
}
