# Installs what the project needs and is missing; skips what is present.
# Sourced by scripts/run.sh and scripts/test.sh (not run on its own).
#
# Needs: rustup + cargo, node + npm (on a fresh Debian machine, that is all).
# Installs: Debian's libssl-dev and pkg-config (webauthn-rs), the wasm32 target, the pinned nightly with rust-src (release wasm
# only, $WASM_NIGHTLY below), trunk 0.21.x, wasm-bindgen-cli at exactly the
# Cargo.lock version, npm packages (binaryen's wasm-opt, playwright-core,
# axe-core, puppeteer-core, selenium-webdriver, vnu-jar), Debian's
# default-jre-headless (to run vnu.jar), and Debian's chromium +
# chromium-driver, firefox-esr, webkit2gtk-driver and xvfb, python3-aiosmtpd,
# nginx and caddy (when root).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

TRUNK_VERSION="0.21.14"

# The release wasm (and only it) is built with a pinned nightly: std rebuilt with
# the app (build-std) and panics that abort at once (no formatting or messages),
# plus Leptos's erase_components (type-erased views, less monomorphisation).
# Measured: 494,825 raw / 167,405 brotli bytes on stable, 431,610 / 144,665 with
# these (see ARCHITECTURE.md). Clippy, tests and the endpoint stay on stable; a
# plain `trunk build --release` still works on stable, only larger.
WASM_NIGHTLY="nightly-2026-05-20"
RELEASE_WASM_ENV=(
  "RUSTUP_TOOLCHAIN=$WASM_NIGHTLY"
  "CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
  "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Zunstable-options -Cpanic=immediate-abort --cfg erase_components"
)
# trunk for the release wasm: `release_trunk build --release`. In the background
# use `env "${RELEASE_WASM_ENV[@]}" trunk ... &` so that $! is trunk's own PID.
release_trunk() { env "${RELEASE_WASM_ENV[@]}" trunk "$@"; }

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
fail() {
  printf '\nERROR: %s\n' "$*" >&2
  exit 1
}

need_command() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is required but not installed. $2"
}

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_basics() {
  step "Checking the basics (cargo, rustup, node, npm, python3)"
  need_command cargo "Install Rust with rustup: https://rustup.rs"
  need_command rustup "Install Rust with rustup: https://rustup.rs"
  need_command node "Install Node.js 20 or newer."
  need_command npm "Install npm (comes with Node.js)."
  need_command python3 "Install python3 (the end-to-end tests read the database with it)."
  info "cargo $(cargo --version | cut -d' ' -f2), node $(node --version), npm $(npm --version)"
}

ensure_wasm_target() {
  step "WebAssembly target"
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    info "wasm32-unknown-unknown: present"
  else
    info "installing wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown || fail "could not add the wasm32-unknown-unknown target"
  fi
}

ensure_trunk() {
  step "trunk (builds and serves the app)"
  if command -v trunk >/dev/null 2>&1 && trunk --version | grep -q ' 0\.21\.'; then
    info "$(trunk --version): present"
  else
    # trunk 0.22 needs a newer rustc than this project's; 0.21 builds on stable.
    info "installing trunk $TRUNK_VERSION (this takes about 20 minutes once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked || fail "could not install trunk $TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  step "wasm-bindgen-cli (must equal the wasm-bindgen version in Cargo.lock)"
  local want
  want="$(lock_version wasm-bindgen)"
  [ -n "$want" ] || fail "could not read the wasm-bindgen version from Cargo.lock"
  if command -v wasm-bindgen >/dev/null 2>&1 && [ "$(wasm-bindgen --version | cut -d' ' -f2)" = "$want" ] \
    && command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
    info "wasm-bindgen $want: present"
  else
    info "installing wasm-bindgen-cli $want (about 10 minutes once)"
    # Not --locked: its lock file names a dependency version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$want" --force || fail "could not install wasm-bindgen-cli $want"
  fi
  grep -q "wasm_bindgen = \"$want\"" "$ROOT/Trunk.toml" \
    || fail "Trunk.toml [tools] wasm_bindgen must be \"$want\" (the Cargo.lock version)"
}

ensure_npm_packages() {
  step "npm packages (wasm-opt from binaryen, playwright-core, axe-core, puppeteer-core, selenium-webdriver)"
  local stamp="$ROOT/node_modules/.imrf-lock-sha"
  local want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    info "node_modules: up to date"
  else
    info "running npm ci"
    npm ci --no-audit --no-fund || fail "npm ci failed"
    echo "$want" >"$stamp"
  fi
  wasm-opt --version | grep -q 'version 132' || fail "wasm-opt 132 from npm binaryen is not on PATH"
}

ensure_chromium() {
  step "Chromium and chromedriver (for the browser tests)"
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    info "$(chromium --version 2>/dev/null | head -1): present"
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    info "installing Debian's chromium and chromium-driver"
    apt-get update -q || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver \
      || fail "could not install chromium and chromium-driver"
  else
    fail "Chromium is missing. Install it as root: apt-get install chromium chromium-driver"
  fi
}

# Firefox (Gecko) and WebKit for the visitor's journey in other engines
# (tests/e2e/journey.test.mjs): Debian's firefox-esr (driven over WebDriver BiDi
# by puppeteer-core, no driver binary), webkit2gtk-driver (WebKitWebDriver and
# WebKitGTK's MiniBrowser) and xvfb (MiniBrowser needs a display).
MINIBROWSER="/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
# Belt and braces: no npm tool may fetch a browser or a driver of its own.
export PUPPETEER_SKIP_DOWNLOAD=1 SE_OFFLINE=true

ensure_other_engines() {
  step "Firefox ESR, WebKitGTK (WebKitWebDriver, MiniBrowser) and Xvfb (for the journey in other engines)"
  local missing=()
  command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
  { command -v WebKitWebDriver >/dev/null 2>&1 && [ -x "$MINIBROWSER" ]; } || missing+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
  if [ ${#missing[@]} -eq 0 ]; then
    info "$(firefox-esr --version 2>/dev/null | head -1), WebKitGTK $(dpkg-query -W -f '${Version}' webkit2gtk-driver 2>/dev/null || echo '?'), xvfb-run: present"
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    info "installing Debian's ${missing[*]}"
    apt-get update -q || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" \
      || fail "could not install ${missing[*]}"
  else
    fail "Missing for the Firefox and WebKit tests: ${missing[*]}. Install them as root: apt-get install ${missing[*]}"
  fi
}

# A real SMTP server for the mail tests: Python's aiosmtpd from Debian, run with
# Debian's own python3 (the first python3 on PATH may be another one).
ensure_html_checker() {
  step "Java for the W3C Nu HTML Checker (npm vnu-jar; the jar ships in the package)"
  if command -v java >/dev/null 2>&1; then
    info "$(java -version 2>&1 | head -1): present"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    info "installing Debian's default-jre-headless"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless >/dev/null \
      || fail "could not install default-jre-headless"
  else
    fail "Missing for the HTML checks: Java. Install it as root: apt-get install default-jre-headless"
  fi
  [ -f "$ROOT/node_modules/vnu-jar/build/dist/vnu.jar" ] || fail "node_modules/vnu-jar/build/dist/vnu.jar is missing (npm ci)"
}

ensure_smtp_server() {
  step "aiosmtpd (a real SMTP server for the mail tests)"
  local python=/usr/bin/python3
  if "$python" -c 'import aiosmtpd' >/dev/null 2>&1; then
    info "aiosmtpd $("$python" -c 'import aiosmtpd; print(aiosmtpd.__version__)'): present"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    info "installing Debian's python3-aiosmtpd"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-aiosmtpd >/dev/null \
      || fail "could not install python3-aiosmtpd"
  else
    fail "Missing for the mail tests: Debian's python3-aiosmtpd. Install it as root: apt-get install python3-aiosmtpd"
  fi
  export IMRF_TEST_PYTHON="$python"
}

# The reverse proxies docs/operations.md configures, for the tests that check its
# blocks with the proxy's own test (nginx -t, caddy validate) and run nginx in
# front of the endpoint (crates/endpoint/tests/deploy_docs.rs; they say they are
# skipped without them). Only the programs are needed: a service the package
# starts is stopped and disabled again, so nothing listens on ports 80 and 443.
ensure_proxies() {
  step "nginx and caddy (the proxy blocks of docs/operations.md are tested with them)"
  local missing=() name
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
  command -v caddy >/dev/null 2>&1 || missing+=(caddy)
  if [ ${#missing[@]} -eq 0 ]; then
    info "$(/usr/sbin/nginx -v 2>&1 || nginx -v 2>&1), caddy $(caddy version 2>/dev/null | cut -d' ' -f1): present"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    info "installing Debian's ${missing[*]} (their services are then stopped and disabled)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
      || fail "could not install ${missing[*]}"
    for name in "${missing[@]}"; do
      systemctl disable --now "$name.service" >/dev/null 2>&1 || true
    done
  else
    info "missing: ${missing[*]}; their tests will say they are skipped (as root: apt-get install ${missing[*]})"
  fi
}

# The pinned nightly with rust-src, for the release wasm build only (build-std).
ensure_wasm_nightly() {
  step "Rust $WASM_NIGHTLY with rust-src (the release wasm build only; everything else uses stable)"
  local sysroot
  if sysroot="$(rustup run "$WASM_NIGHTLY" rustc --print sysroot 2>/dev/null)" \
    && [ -f "$sysroot/lib/rustlib/src/rust/library/Cargo.lock" ]; then
    info "$(rustup run "$WASM_NIGHTLY" rustc --version): present, with rust-src"
  else
    info "installing: rustup toolchain install $WASM_NIGHTLY --profile minimal -c rust-src"
    rustup toolchain install "$WASM_NIGHTLY" --profile minimal -c rust-src \
      || fail "could not install $WASM_NIGHTLY with rust-src (the release wasm build needs it).
       Run: rustup toolchain install $WASM_NIGHTLY --profile minimal -c rust-src"
  fi
}

ensure_cargo_deps() {
  step "Fetching crates (trunk builds offline afterwards)"
  cargo fetch --locked || fail "cargo fetch failed"
  # build-std's own crates (the standard library's dependencies, from its Cargo.lock).
  env "${RELEASE_WASM_ENV[@]}" cargo fetch --locked --target wasm32-unknown-unknown \
    || fail "cargo fetch of the standard library's crates ($WASM_NIGHTLY, build-std) failed"
}

# Node.js 20.11 or newer: the scripts use import.meta.dirname (Debian 12's own nodejs is 18).
ensure_node_version() {
  local version
  version="$(node --version 2>/dev/null | sed 's/^v//')"
  if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 11) ? 0 : 1)' 2>/dev/null; then
    info "node $version: new enough (20.11 or newer needed)"
  else
    fail "Node.js ${version:-?} is too old: 20.11 or newer is needed (import.meta.dirname).
       Install it, for example: apt-get install nodejs (Debian 13 has 20.19), or nvm install 22;
       then check with: node --version"
  fi
}

# A C compiler: sqlx builds its bundled SQLite from C source.
ensure_c_compiler() {
  local cc
  for cc in "${CC:-}" cc gcc clang; do
    if [ -n "$cc" ] && command -v "$cc" >/dev/null 2>&1; then
      info "C compiler: $cc"
      return
    fi
  done
  fail "no C compiler found (cc, gcc or clang): the endpoint's bundled SQLite is compiled from C.
       Install one: apt-get install build-essential (as root), then run this again."
}

# OpenSSL's headers and pkg-config: webauthn-rs (the console's passkeys) builds
# on the openssl crate, which links Debian's libssl.
ensure_openssl_dev() {
  if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openssl 2>/dev/null; then
    info "OpenSSL headers (libssl-dev $(pkg-config --modversion openssl)), pkg-config: present"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    info "installing Debian's libssl-dev and pkg-config (webauthn-rs links OpenSSL)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libssl-dev pkg-config >/dev/null \
      || fail "could not install libssl-dev and pkg-config"
  else
    fail "the endpoint's passkeys (webauthn-rs) need OpenSSL's headers and pkg-config.
       Install them as root: apt-get install libssl-dev pkg-config"
  fi
}

# rustfmt and clippy: the tests run cargo fmt --check and cargo clippy.
ensure_rust_components() {
  local missing=() component
  for component in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" || missing+=("$component")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    info "rustfmt, clippy: present"
  else
    info "installing ${missing[*]}: rustup component add ${missing[*]}"
    rustup component add "${missing[@]}" || fail "could not add ${missing[*]}; run: rustup component add ${missing[*]}"
  fi
}

# Whether nothing listens on 127.0.0.1:PORT (a connection attempt, in bash alone).
port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits for an endpoint started in the background (PID, its stdout file, its
# log file) to print its address and answer /api/health; prints the URL, or
# says what went wrong and fails.
wait_for_endpoint() {
  local pid="$1" out="$2" log="$3" url="" deadline=$((SECONDS + 15))
  while [ "$SECONDS" -lt "$deadline" ]; do
    url="$(sed -n 's|^listening on \(http://[^ ]*\)$|\1|p' "$out" 2>/dev/null | head -n 1)"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || fail "the endpoint did not start: $(tail -n 3 "$log" 2>/dev/null)"
    sleep 0.1
  done
  [ -n "$url" ] || fail "the endpoint printed no address within 15 s (its log: $log)"
  deadline=$((SECONDS + 10))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if python3 -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)' \
      "$url/api/health" 2>/dev/null; then
      printf '%s\n' "$url"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "the endpoint stopped: $(tail -n 3 "$log" 2>/dev/null)"
    sleep 0.2
  done
  fail "the endpoint at $url does not answer $url/api/health within 10 s (its log: $log)"
}

setup_build_tools() {
  ensure_basics
  ensure_node_version
  ensure_c_compiler
  ensure_openssl_dev
  ensure_rust_components
  ensure_wasm_target
  ensure_npm_packages
  ensure_wasm_nightly
  ensure_cargo_deps
  ensure_wasm_bindgen
  ensure_trunk
}

build_app() {
  step "Building the app (release, size-optimised: $WASM_NIGHTLY build-std, immediate abort, erase_components, wasm-opt)"
  release_trunk build --release || fail "trunk build failed"
  info "dist/: $(du -sh "$ROOT/dist" | cut -f1)"
}

build_endpoint() {
  step "Building the endpoint"
  cargo build --locked --profile server -p imrf-endpoint || fail "building the endpoint failed"
}
