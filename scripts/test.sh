#!/usr/bin/env bash
# Runs every test, installing whatever is missing first:
#   1. formatting and lints (cargo fmt --check, clippy -D warnings, native and wasm;
#      no module importing one that imports it back: scripts/module-cycles.py);
#   2. native tests (cargo test --workspace): the contract's rules, content
#      checks, the app's pure logic, and the endpoint's HTTP tests against the
#      real binary (PostgreSQL too, on a throw-away local server when one can be had;
#      mail through a real SMTP server, aiosmtpd, started by each test);
#   3. in-browser component tests (wasm-bindgen-test in headless Chromium);
#   4. end-to-end tests: the release build of the app served by the real endpoint
#      in real Chromium, with the axe-core and Content-Security-Policy gates; then
#      the visitor's core journey (tests/e2e/journey.test.mjs) in Firefox and in WebKit.
# Exits non-zero on the first failure.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

# A one-shot run (CI) gains nothing from incremental caches, which are a large
# part of target/ on a fresh clone.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

setup_build_tools
ensure_chromium
ensure_other_engines
ensure_smtp_server
ensure_html_checker
ensure_proxies

step "1/4 Formatting and lints"
cargo fmt --all --check || fail "cargo fmt --check found unformatted code (run: cargo fmt --all)"
cargo clippy --locked --workspace --all-targets --all-features -- -D warnings || fail "clippy found problems"
cargo clippy --locked -p imrf-release --target wasm32-unknown-unknown --all-targets -- -D warnings \
  || fail "clippy (wasm32) found problems"
python3 scripts/module-cycles.py >/dev/null \
  || { python3 scripts/module-cycles.py | grep CYCLE; fail "a module imports one that imports it back"; }

# A throw-away PostgreSQL for the endpoint's second backend, when Debian's server is installed
# (or installable: we are root with apt). Stopped on exit.
start_test_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    info "installing Debian's postgresql for the PostgreSQL backend tests"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 || true
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  fi
  if [ -z "$bin" ] || ! id postgres >/dev/null 2>&1; then
    info "PostgreSQL is not available: its backend tests will say they are skipped"
    return
  fi
  PG_DIR="$(mktemp -d /tmp/imrf-pg.XXXXXX)"
  chown postgres "$PG_DIR"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  local as_pg=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || as_pg=()
  "${as_pg[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust >/dev/null \
    && "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    && "${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres imrf_test \
    || { info "could not start PostgreSQL (see $PG_DIR/log): its tests will be skipped"; return; }
  export IMRF_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/imrf_test"
  PG_STOP=("${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
  info "PostgreSQL on 127.0.0.1:$port for the backend tests"
}
PG_STOP=()
trap '[ ${#PG_STOP[@]} -eq 0 ] || "${PG_STOP[@]}" >/dev/null 2>&1 || true' EXIT

step "2/4 Native tests (pure logic, content checks, the endpoint over HTTP)"
start_test_postgres
cargo test --locked --workspace --all-features || fail "native tests failed"

step "2/4 (cont.) The build refuses content whose languages differ"
# A copy of content/ with one paragraph removed from the English file must fail
# the build, with a message naming the paragraph.
BROKEN_CONTENT="$(mktemp -d /tmp/imrf-content.XXXXXX)"
cp "$ROOT"/content/*.toml "$BROKEN_CONTENT"/
python3 - "$BROKEN_CONTENT/release.en.toml" <<'PY'
import sys
path = sys.argv[1]
parts = open(path, encoding="utf-8").read().split("[[blocks]]")
kept = [p for p in parts if 'id = "p-forum"' not in p]
assert len(kept) == len(parts) - 1, "p-forum found once"
open(path, "w", encoding="utf-8").write("[[blocks]]".join(kept))
PY
if IMRF_CONTENT_DIR="$BROKEN_CONTENT" cargo check --locked -p imrf-release >"$BROKEN_CONTENT/build.log" 2>&1; then
  fail "the build accepted content with a paragraph missing in English"
fi
grep -q 'paragraph "p-forum" is in release.ar.toml but missing from release.en.toml' "$BROKEN_CONTENT/build.log" \
  || { cat "$BROKEN_CONTENT/build.log"; fail "the failed build did not name the missing paragraph"; }
info "ok: cargo check failed with: paragraph \"p-forum\" is in release.ar.toml but missing from release.en.toml"
rm -rf "$BROKEN_CONTENT"

step "3/4 In-browser component tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --locked -p imrf-release --target wasm32-unknown-unknown --test web \
  || fail "in-browser component tests failed"

step "4/4 End-to-end tests (release build, real endpoint, real Chromium, axe-core, CSP)"
build_app
build_endpoint
IMRF_ENGINES=chromium node --test --test-concurrency=1 tests/e2e/*.test.mjs || fail "end-to-end tests failed"

step "4/4 (cont.) The visitor's journey in Firefox and in WebKit (same test bodies, tests/e2e/engines.mjs)"
for engine in firefox webkit; do
  started=$SECONDS
  IMRF_ENGINES=$engine node --test --test-concurrency=1 tests/e2e/journey.test.mjs \
    || fail "the journey failed in $engine"
  info "ok: the journey in $engine took $((SECONDS - started)) s"
done

step "All tests passed"
