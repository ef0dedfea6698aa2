#!/usr/bin/env bash
# Runs the app with a working endpoint, for development:
#   the endpoint serves the built app (dist/) and /api/ on http://127.0.0.1:8080,
#   and `trunk watch --release` rebuilds dist/ whenever a source file changes
#   (reload the page to see it).
# The development database is kept outside the source tree, which trunk
# watches, so storing a submission never triggers a rebuild.
# Installs whatever is missing first. Stop with Ctrl-C.
#
# Settings (environment):
#   IMRF_PORT     port on 127.0.0.1 (default 8080; 0 picks a free one)
#   IMRF_DEV_DB   the SQLite file (default ${XDG_STATE_HOME:-~/.local/state}/imrf-release/dev-submissions.db)
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

PORT="${IMRF_PORT:-8080}"
DEV_DB="${IMRF_DEV_DB:-${XDG_STATE_HOME:-$HOME/.local/state}/imrf-release/dev-submissions.db}"

check_dev_settings() {
  [[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -le 65535 ] || fail "IMRF_PORT=$PORT is not a port number (0 to 65535)"
  case "$DEV_DB" in
    /*) ;;
    *) DEV_DB="$PWD/$DEV_DB" ;;
  esac
  case "$DEV_DB/" in
    "$ROOT"/*) fail "IMRF_DEV_DB=$DEV_DB is inside $ROOT, which trunk watches: every stored submission would rebuild the app. Choose a path outside it." ;;
  esac
  mkdir -p "$(dirname "$DEV_DB")" || fail "cannot create the folder of IMRF_DEV_DB ($(dirname "$DEV_DB"))"
  if [ "$PORT" != 0 ] && ! port_is_free "$PORT"; then
    fail "port $PORT on 127.0.0.1 is already taken by another program. Stop it, or choose another port: IMRF_PORT=8081 bash scripts/run.sh (IMRF_PORT=0 picks a free one)"
  fi
}

check_dev_settings
setup_build_tools
build_endpoint

RUN_DIR="$(mktemp -d /tmp/imrf-run.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Starting the endpoint on 127.0.0.1:$PORT (database: $DEV_DB)"
"$ROOT/target/server/imrf-endpoint" serve --listen "127.0.0.1:$PORT" \
  --database-url "sqlite://$DEV_DB" --static-dir "$ROOT/dist" \
  >"$RUN_DIR/endpoint.out" 2> >(tee "$RUN_DIR/endpoint.log" >&2) &
PIDS+=($!)
URL="$(wait_for_endpoint "${PIDS[0]}" "$RUN_DIR/endpoint.out" "$RUN_DIR/endpoint.log")" || exit 1
info "the endpoint answers on $URL/api/health"

step "Building the app and watching for changes (trunk watch --release)"
STAMP="$RUN_DIR/started"
touch "$STAMP"
env "${RELEASE_WASM_ENV[@]}" trunk watch --release &
PIDS+=($!)
# The first build takes a few minutes; the page is there once it is done.
for _ in $(seq 1 1800); do
  [ "$ROOT/dist/index.html" -nt "$STAMP" ] && break
  kill -0 "${PIDS[1]}" 2>/dev/null || fail "trunk watch stopped before the first build finished (see its output above)"
  sleep 0.5
done
[ "$ROOT/dist/index.html" -nt "$STAMP" ] || fail "the first build did not finish within 15 minutes (see trunk's output above)"

step "The app is on $URL/ (submissions go to $URL/api/submissions). Stop with Ctrl-C."
wait "${PIDS[0]}"
fail "the endpoint stopped (its log is above)"
