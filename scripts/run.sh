#!/usr/bin/env bash
# Runs the app with a working endpoint:
#   the endpoint (SQLite file imrf-submissions.db) on 127.0.0.1:3000, and
#   `trunk serve` with the app on http://127.0.0.1:8080 proxying /api/ to it.
# Installs whatever is missing first. Stop with Ctrl-C.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

setup_build_tools
build_endpoint

step "Starting the endpoint on http://127.0.0.1:3000 (database: $ROOT/imrf-submissions.db)"
"$ROOT/target/server/imrf-endpoint" serve --listen 127.0.0.1:3000 \
  --database-url "sqlite://$ROOT/imrf-submissions.db" &
ENDPOINT_PID=$!
trap 'kill "$ENDPOINT_PID" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 50); do
  curl -fsS http://127.0.0.1:3000/api/health >/dev/null 2>&1 && break
  kill -0 "$ENDPOINT_PID" 2>/dev/null || fail "the endpoint did not start (is port 3000 in use?)"
  sleep 0.2
done

step "Serving the app on http://127.0.0.1:8080 (trunk serve; /api/ goes to the endpoint)"
trunk serve --release
