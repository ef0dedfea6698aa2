#!/usr/bin/env bash
# Measures speed and size and prints one Markdown table (also written to
# bench/results.md). The project's rule: speed and size are measured here, by
# a command that prints numbers, never by timed tests.
#
#   1. size of what a first visit downloads (raw, gzip -9, brotli -q 11);
#   2. load time in headless Chromium, served by the real endpoint
#      (`--static-dir`, compressed), on loopback and on a slow network;
#   3. language toggle latency, that toggling adds no history entries, and the
#      JS heap growth after 1,000 switches and 100 validation rounds (forced GC);
#      and, side by side in the same run, first paint and first paragraph of
#      ours against the floor: a plain HTML page with the same release text
#      (no script, no stylesheet), on a 400 kbit/s and a slow-4G profile;
#   4. POST /api/submissions under load (wrk, new key per request), with every
#      201 checked against the rows in the SQLite file;
#   5. the idempotent replay path (wrk re-sending one key and body: 200s);
#   6. the same load with every input's mail queued in its transaction (a real
#      SMTP server, aiosmtpd, receiving), and the time from a 201 to the
#      message in that server's spool;
#   7. the public record with 1,000 published inputs (bench/record.mjs): the
#      first page's document size, its first paint against a plain-HTML floor
#      on the 400 kbit/s profile, the answer time of the first and of a
#      filtered page, and export-site of the whole record.
#
# Builds what it measures first (scripts/setup.sh): dist/ and
# target/server/imrf-endpoint. Takes about 3 minutes once built; talks only to
# 127.0.0.1; stops everything it starts. Exits non-zero when a 201 has no row
# (lost), a key is stored twice (duplicated), the replay stored anything, or a
# measurement could not be taken.
#
# Knobs (environment): BENCH_SECONDS (wrk duration, default 10),
# BENCH_LOADS (fresh page loads, default 7), BENCH_SLOW_LOADS (default 5),
# BENCH_TOGGLES (default 200), BENCH_FLOOR_LOADS (fresh loads of ours and of the
# plain-HTML floor per profile and language, default 15). For development: IMRF_DIST_DIR (build the app
# there instead of dist/), CARGO_TARGET_DIR (the endpoint is taken from it).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

BENCH_SECONDS="${BENCH_SECONDS:-10}"
BENCH_LOADS="${BENCH_LOADS:-7}"
BENCH_SLOW_LOADS="${BENCH_SLOW_LOADS:-5}"
BENCH_TOGGLES="${BENCH_TOGGLES:-200}"
BENCH_FLOOR_LOADS="${BENCH_FLOOR_LOADS:-15}"
WRK_THREADS=2
WRK_CONNECTIONS=16

ensure_bench_tools() {
  step "Benchmark tools (wrk, brotli)"
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v brotli >/dev/null 2>&1 || missing+=(brotli)
  if [ ${#missing[@]} -eq 0 ]; then
    info "wrk and brotli: present"
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    info "installing Debian's ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; } \
      || info "could not install ${missing[*]} with apt-get"
  fi
  command -v wrk >/dev/null 2>&1 || fail "wrk is missing. Install it as root: apt-get install wrk"
  command -v brotli >/dev/null 2>&1 || info "brotli is missing: using node's zlib brotliCompressSync (quality 11) instead"
}

setup_build_tools
ensure_chromium
ensure_bench_tools

if [ -n "${IMRF_DIST_DIR:-}" ]; then
  step "Building the app into $IMRF_DIST_DIR (release, size-optimised, wasm-opt)"
  release_trunk build --release --dist "$IMRF_DIST_DIR" || fail "trunk build failed"
else
  build_app
fi
build_endpoint

DIST="${IMRF_DIST_DIR:-$ROOT/dist}"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/server/imrf-endpoint"
[ -x "$BIN" ] || fail "endpoint binary missing: $BIN"
export IMRF_DIST_DIR="$DIST" IMRF_ENDPOINT_BIN="$BIN"

TMP="$(mktemp -d /tmp/imrf-bench.XXXXXX)"
ROWS="$TMP/rows.tsv"
: >"$ROWS"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"

# row METRIC VALUE UNIT HOW
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$ROWS"; }

# --- 1. Size ------------------------------------------------------------------
step "1/6 Size of the first load ($DIST)"
# The files a reader's first visit fetches: index.html and every local script,
# stylesheet and preload it names. A sender's first visit adds the app, which
# the loader fetches on intent (the glue, which fetches the wasm); they are
# found in dist/ by name. Other files in dist/ (the widget) are not counted.
python3 - "$DIST" >"$TMP/first-load" <<'PY'
import os, re, sys
dist = sys.argv[1]
html = open(os.path.join(dist, "index.html"), encoding="utf-8").read()
files = ["index.html"]
for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
    rel = re.search(r'\brel="([^"]*)"', tag)
    if tag.startswith("<link") and (not rel or rel.group(1) not in ("stylesheet", "modulepreload", "preload")):
        continue
    ref = re.search(r'\b(?:src|href)="([^"]+)"', tag)
    if not ref or re.match(r"^[a-z]+:|^//", ref.group(1)):
        continue
    name = ref.group(1).split("?")[0].lstrip("/")
    if name and name not in files:
        files.append(name)
for f in files:
    assert os.path.isfile(os.path.join(dist, f)), f"index.html names {f}, which is not in {dist}"
print("\n".join(files))
PY
FIRST_LOAD=()
mapfile -t FIRST_LOAD <"$TMP/first-load"
one_of() { # PATTERN: the one first-load file whose name matches
  local f found=()
  for f in "${FIRST_LOAD[@]}"; do
    # shellcheck disable=SC2053
    [[ "$f" == $1 ]] && found+=("$f")
  done
  [ ${#found[@]} -eq 1 ] || fail "expected one first-load file matching $1, found: ${found[*]:-none}"
  echo "$DIST/${found[0]}"
}
READER_FILES=${#FIRST_LOAD[@]}
# The app, on intent: not named by index.html (no preload), one file each in dist/.
for pattern in '*_bg.wasm' 'imrf-release-*.js'; do
  mapfile -t found < <(cd "$DIST" && compgen -G "$pattern")
  [ ${#found[@]} -eq 1 ] || fail "expected one file matching $pattern in $DIST, found: ${found[*]:-none}"
  FIRST_LOAD+=("${found[0]}")
done
WASM="$(one_of '*_bg.wasm')"
GLUE="$(one_of 'imrf-release-*.js')"
# The stylesheet is inline in index.html since scripts/inline-critical.mjs; an older build names a file.
CSS=""
for f in "${FIRST_LOAD[@]}"; do [[ "$f" == *.css ]] && CSS="$DIST/$f"; done
HTML="$DIST/index.html"
OTHERS=()
for f in "${FIRST_LOAD[@]}"; do
  case "$DIST/$f" in "$WASM" | "$GLUE" | "$CSS" | "$HTML") ;; *) OTHERS+=("$DIST/$f") ;; esac
done
info "first load: ${FIRST_LOAD[*]} (a reader's: the first $READER_FILES)"

raw_size() { stat -c %s "$1"; }
gzip_size() { gzip -9 -n -c "$1" | wc -c; }
br_size() {
  if command -v brotli >/dev/null 2>&1; then
    brotli -q 11 -c "$1" | wc -c
  else
    node -e 'const z=require("zlib");process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$1"
  fi
}
BR_HOW="brotli -q 11"
command -v brotli >/dev/null 2>&1 || BR_HOW="node zlib brotliCompressSync quality 11"

TOTAL_RAW=0 TOTAL_GZ=0 TOTAL_BR=0
size_rows() { # LABEL FILE
  local raw gz br name
  name="$(basename "$2")"
  raw="$(raw_size "$2")" gz="$(gzip_size "$2")" br="$(br_size "$2")"
  TOTAL_RAW=$((TOTAL_RAW + raw)) TOTAL_GZ=$((TOTAL_GZ + gz)) TOTAL_BR=$((TOTAL_BR + br))
  row "Size: $1, raw" "$raw" "bytes" "stat of $name"
  row "Size: $1, gzip -9" "$gz" "bytes" "gzip -9 -n of $name"
  row "Size: $1, brotli" "$br" "bytes" "$BR_HOW of $name"
  info "$1: $raw raw, $gz gzip, $br brotli"
}
size_rows "wasm" "$WASM"
size_rows "JS glue (wasm-bindgen)" "$GLUE"
if [ -n "$CSS" ]; then
  size_rows "CSS" "$CSS"
else
  row "Size: CSS" "0" "bytes" "no stylesheet file on the first load: the stylesheet is inline in index.html (counted there)"
fi
size_rows "index.html" "$HTML"
# The small scripts the page also loads: lang-boot.js and the loader (web/app-loader.js).
OTHER_RAW=0 OTHER_GZ=0 OTHER_BR=0 OTHER_NAMES=""
for f in "${OTHERS[@]}"; do
  OTHER_RAW=$((OTHER_RAW + $(raw_size "$f"))) OTHER_GZ=$((OTHER_GZ + $(gzip_size "$f"))) OTHER_BR=$((OTHER_BR + $(br_size "$f")))
  OTHER_NAMES="$OTHER_NAMES${OTHER_NAMES:+, }$(basename "$f")"
done
TOTAL_RAW=$((TOTAL_RAW + OTHER_RAW)) TOTAL_GZ=$((TOTAL_GZ + OTHER_GZ)) TOTAL_BR=$((TOTAL_BR + OTHER_BR))
row "Size: other scripts, raw / brotli" "$OTHER_RAW / $OTHER_BR" "bytes" "${OTHER_NAMES:-none}"
N_FILES=${#FIRST_LOAD[@]}
READER_RAW=$((TOTAL_RAW - $(raw_size "$WASM") - $(raw_size "$GLUE")))
READER_BR=$((TOTAL_BR - $(br_size "$WASM") - $(br_size "$GLUE")))
row "Size: a reader's first visit, raw / brotli" "$READER_RAW / $READER_BR" "bytes" "the $READER_FILES files a visit without interaction fetches (index.html and what it names; no app)"
row "Size: a sender's first visit (after intent), raw" "$TOTAL_RAW" "bytes" "the $N_FILES files: a reader's, then the glue and the wasm the loader fetches on intent"
row "Size: a sender's first visit (after intent), gzip -9" "$TOTAL_GZ" "bytes" "sum of the gzip -9 sizes of the $N_FILES files"
row "Size: a sender's first visit (after intent), brotli" "$TOTAL_BR" "bytes" "sum of the $BR_HOW sizes of the $N_FILES files"
# Where the wasm bytes are: its code and data sections.
python3 - "$WASM" >"$TMP/sections" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
assert data[:4] == b"\0asm", "not a wasm file"
pos, sizes = 8, {}
def leb(p):
    n = shift = 0
    while True:
        b = data[p]; p += 1
        n |= (b & 0x7F) << shift; shift += 7
        if b < 0x80: return n, p
while pos < len(data):
    sid = data[pos]; size, body = leb(pos + 1)
    sizes[sid] = sizes.get(sid, 0) + size
    pos = body + size
print(sizes.get(10, 0), sizes.get(11, 0), sizes.get(0, 0))
PY
read -r CODE_BYTES DATA_BYTES CUSTOM_BYTES <"$TMP/sections"
row "Size: wasm code section" "$CODE_BYTES" "bytes" "section 10 of $(basename "$WASM") (compiled Rust: Leptos, the views, validation, serde)"
row "Size: wasm data section" "$DATA_BYTES" "bytes" "section 11 (static data: the release and UI text in both languages, country names, Unicode tables)"

# --- 2 and 3. Browser ---------------------------------------------------------
step "2/6 Load and language toggle in headless Chromium (endpoint serving $DIST)"
timeout 1800 node "$ROOT/bench/browser.mjs" "$ROWS" \
  --loads "$BENCH_LOADS" --slow-loads "$BENCH_SLOW_LOADS" --toggles "$BENCH_TOGGLES" \
  --floor-loads "$BENCH_FLOOR_LOADS" \
  || fail "the browser benchmark failed"

# --- 4 and 5. Endpoint --------------------------------------------------------
EP_PID="" EP_URL=""
start_endpoint() { # NAME [FLAG...]: fresh SQLite file, no rate limit, on a free loopback port
  local out="$TMP/$1.out" name="$1"
  shift
  "$BIN" serve --listen 127.0.0.1:0 --database-url "sqlite://$TMP/$name.db" \
    --rate-limit-per-minute 0 "$@" >"$out" 2>"$TMP/$name.log" &
  EP_PID=$!
  PIDS+=("$EP_PID")
  local i
  for i in $(seq 100); do
    EP_URL="$(sed -n 's|^listening on \(http://[^ ]*\).*|\1|p' "$out" | sed 's|/$||')"
    [ -n "$EP_URL" ] && return
    kill -0 "$EP_PID" 2>/dev/null || fail "the endpoint exited: $(tail -5 "$TMP/$name.log")"
    sleep 0.2
  done
  fail "the endpoint did not start in 20 s"
}
stop_endpoint() { # graceful: requests in flight finish and commit
  kill -TERM "$EP_PID"
  wait "$EP_PID" || fail "the endpoint did not exit cleanly: $(tail -5 "$TMP"/*.log)"
}
run_wrk() { # NAME MODE [KEY]
  BENCH_MODE="$2" BENCH_KEY="${3:-}" BENCH_OUT="$TMP/$1.txt" BENCH_RUN="$(date +%s)" \
    timeout $((BENCH_SECONDS + 60)) wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${BENCH_SECONDS}s" \
    --timeout 10s --latency -s "$ROOT/bench/submit.lua" "$EP_URL" >"$TMP/$1.wrk" \
    || fail "wrk failed: $(cat "$TMP/$1.wrk")"
  sed 's/^/    /' "$TMP/$1.wrk"
}
val() { awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$TMP/$1.txt"; }
WRK_HOW="wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${BENCH_SECONDS}s, bench/submit.lua"

step "3/6 POST /api/submissions, a new key per request (wrk, ${BENCH_SECONDS} s)"
start_endpoint new
run_wrk new new
stop_endpoint
python3 - "$TMP/new.db" "$TMP/new.txt" >"$TMP/check.txt" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
refs = [l.split()[1] for l in open(sys.argv[2], encoding="utf-8") if l.startswith("ref ")]
rows = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
keys = con.execute("SELECT count(DISTINCT idempotency_key) FROM submissions").fetchone()[0]
dup_keys = con.execute(
    "SELECT count(*) FROM (SELECT idempotency_key FROM submissions GROUP BY idempotency_key HAVING count(*) > 1)"
).fetchone()[0]
stored = {r for (r,) in con.execute("SELECT reference FROM submissions")}
flagged = con.execute("SELECT count(*) FROM submissions WHERE flagged IS NOT NULL").fetchone()[0]
got = len(refs)
stored_with_201 = len(set(refs) & stored)  # each reference is one stored key
print("rows", rows)
print("got201", got)
print("lost", got - stored_with_201)
print("duplicated", (rows - keys) + dup_keys)
print("unacknowledged", rows - stored_with_201)
print("flagged", flagged)
PY
chk() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/check.txt"; }
LOST="$(chk lost)" DUP="$(chk duplicated)"
row "Submit (new keys): throughput" "$(val new rps)" "req/s" "$WRK_HOW (unique UUID-shaped key per request in header and body), loopback, fresh SQLite file (WAL, synchronous=FULL), --rate-limit-per-minute 0"
row "Submit (new keys): latency p50" "$(val new p50_ms)" "ms" "wrk latency:percentile(50) in done()"
row "Submit (new keys): latency p99" "$(val new p99_ms)" "ms" "wrk latency:percentile(99) in done()"
row "Submit (new keys): 201 responses" "$(chk got201)" "responses" "counted in wrk's response() callback (references kept)"
row "Submit (new keys): rows stored" "$(chk rows)" "rows" "SELECT count(*) with python3 sqlite3 after a graceful stop; $(chk unacknowledged) more than the 201s seen = requests in flight when wrk stopped; $(chk flagged) flagged"
row "Submit (new keys): lost" "$LOST" "submissions" "201s received minus 201 references found in the database; must be 0"
row "Submit (new keys): duplicated keys" "$DUP" "keys" "rows minus distinct idempotency keys, plus keys stored more than once; must be 0"
row "Submit (new keys): non-2xx responses" "$(val new non2xx)" "responses" "wrk, by status; plus $(val new socket_errors) socket errors / timeouts"

step "4/6 POST /api/submissions, replaying one key and body (wrk, ${BENCH_SECONDS} s)"
start_endpoint replay
KEY="$(python3 -c 'import uuid; print(uuid.uuid4())')"
# The same body as bench/submit.lua sends.
FIRST="$(python3 - "$EP_URL" "$KEY" <<'PY'
import json, sys, urllib.request
url, key = sys.argv[1], sys.argv[2]
body = {"idempotency_key": key, "language": "ar", "name": "سارة", "organisation": "",
        "email": "sara@example.org", "country": "EG", "stakeholder_group": "civil_society",
        "stakeholder_group_other": "", "title": "عنوان", "input": "نص المدخلات", "link": "",
        "consent": True, "directions": {}, "website": "", "fill_ms": 5000}
req = urllib.request.Request(url + "/api/submissions", data=json.dumps(body, ensure_ascii=False).encode(),
                             headers={"Content-Type": "application/json", "Idempotency-Key": key})
with urllib.request.urlopen(req, timeout=10) as r:
    print(r.status)
PY
)"
[ "$FIRST" = 201 ] || fail "the first submission of the replay key got $FIRST, not 201"
run_wrk replay replay "$KEY"
stop_endpoint
REPLAY_ROWS="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM submissions").fetchone()[0])' "$TMP/replay.db")"
row "Submit (replay): throughput" "$(val replay rps)" "req/s" "$WRK_HOW, one key and body stored first, then re-sent by every request"
row "Submit (replay): latency p50" "$(val replay p50_ms)" "ms" "wrk latency:percentile(50) in done()"
row "Submit (replay): latency p99" "$(val replay p99_ms)" "ms" "wrk latency:percentile(99) in done()"
row "Submit (replay): 200 responses / requests" "$(val replay status_200) / $(val replay requests)" "responses" "all must be 200 with the first reference; non-2xx: $(val replay non2xx)"
row "Submit (replay): rows stored" "$REPLAY_ROWS" "rows" "must be 1 (the first submission)"

step "5/6 POST /api/submissions with mail queued, a real SMTP server receiving"
ensure_smtp_server
mkdir -p "$TMP/spool"
"$IMRF_TEST_PYTHON" "$ROOT/crates/endpoint/tests/support/smtp_sink.py" "$TMP/spool" >"$TMP/sink.out" 2>"$TMP/sink.log" &
PIDS+=("$!")
for _ in $(seq 50); do grep -q '^listening on' "$TMP/sink.out" 2>/dev/null && break; sleep 0.1; done
SINK_PORT="$(sed -n 's/^listening on //p' "$TMP/sink.out")"
[ -n "$SINK_PORT" ] || fail "the SMTP sink did not start: $(cat "$TMP/sink.log")"
MAIL_FLAGS=(--smtp-url "smtp://127.0.0.1:$SINK_PORT" --mail-from "bench@example.org" --secretariat-mailbox "secretariat@example.org")
start_endpoint mail "${MAIL_FLAGS[@]}"
run_wrk mail new
stop_endpoint
MAIL_CHECK="$(python3 - "$TMP/mail.db" "$TMP/mail.txt" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
refs = {l.split()[1] for l in open(sys.argv[2], encoding="utf-8") if l.startswith("ref ")}
queued = {r for (r,) in con.execute("SELECT reference FROM outbox WHERE kind = 'secretariat'")}
unflagged = {r for (r,) in con.execute("SELECT reference FROM submissions WHERE flagged IS NULL")}
print(len(refs & unflagged - queued), len(queued))
PY
)"
read -r MAIL_UNQUEUED MAIL_QUEUED <<<"$MAIL_CHECK"
row "Submit with mail queued: throughput" "$(val mail rps)" "req/s" "$WRK_HOW, --smtp-url to aiosmtpd on loopback: each input and its outbox row in one transaction, the worker sending meanwhile (compare the new-key run above, without mail)"
row "Submit with mail queued: latency p99" "$(val mail p99_ms)" "ms" "wrk latency:percentile(99) in done()"
row "Submit with mail queued: acknowledged without a queued message" "$MAIL_UNQUEUED" "inputs" "201 references (unflagged) with no outbox row, of $MAIL_QUEUED queued; must be 0"
# One input at a time: the time from its 201 to its message in the spool.
start_endpoint mail-latency "${MAIL_FLAGS[@]}"
python3 - "$EP_URL" "$TMP/spool" >"$TMP/mail-latency.txt" <<'PY'
import json, os, sys, time, urllib.request, uuid
url, spool = sys.argv[1], sys.argv[2]
def spooled():
    return {f for f in os.listdir(spool) if f.endswith(".eml")}
seen, times = spooled(), []
for i in range(60):
    key = str(uuid.uuid4())
    body = {"idempotency_key": key, "language": "ar", "name": "سارة", "email": "sara@example.org",
            "country": "EG", "stakeholder_group": "civil_society", "title": "عنوان",
            "input": "نص المدخلات", "consent": True, "fill_ms": 5000}
    req = urllib.request.Request(url + "/api/submissions", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Idempotency-Key": key})
    with urllib.request.urlopen(req, timeout=10) as r:
        reference = json.load(r)["reference"]
    t0 = time.perf_counter()
    while True:
        new = spooled() - seen
        hit = [f for f in new if reference.encode() in open(os.path.join(spool, f), "rb").read()]
        if hit:
            times.append((time.perf_counter() - t0) * 1000)
            seen |= new
            break
        if time.perf_counter() - t0 > 30:
            sys.exit("no message for %s in 30 s" % reference)
        time.sleep(0.001)
times.sort()
print("median", round(times[len(times) // 2], 1))
print("p95", round(times[int(len(times) * 0.95) - 1], 1))
print("n", len(times))
PY
stop_endpoint
mlat() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/mail-latency.txt"; }
row "Mail: 201 to the message in the SMTP server, median" "$(mlat median)" "ms" "$(mlat n) inputs one after another; from the 201 to its file in aiosmtpd's spool (polled every 1 ms); loopback"
row "Mail: 201 to the message in the SMTP server, p95" "$(mlat p95)" "ms" "the same $(mlat n) inputs, nearest rank"

step "6/6 The public record with 1,000 published inputs (bench/record.mjs)"
timeout 1800 node "$ROOT/bench/record.mjs" "$ROWS" || fail "the record benchmark failed"

# --- The table ----------------------------------------------------------------
LOAD_AFTER="$(cut -d' ' -f1 /proc/loadavg)"
CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
# Read before the table is written: writing bench/results.md is itself a change.
DIRTY="$(git -C "$ROOT" diff --quiet HEAD -- . ':!bench/results.md' 2>/dev/null || echo ' + local changes')"
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($CPU), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM, $(chromium --version 2>/dev/null | head -1), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$DIRTY. Load average (1 min) $LOAD_BEFORE before, $LOAD_AFTER after: other work on the machine inflates the times. Made by \`bash scripts/bench.sh\`."
  echo
  echo "| Metric | Value | Unit | How measured |"
  echo "| --- | ---: | --- | --- |"
  awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$ROWS"
} >"$ROOT/bench/results.md"
step "Results (also in bench/results.md)"
echo
cat "$ROOT/bench/results.md"

STATUS=0
[ "$LOST" = 0 ] || { printf '\nFAIL: %s submissions got 201 but are not in the database\n' "$LOST" >&2; STATUS=1; }
[ "$DUP" = 0 ] || { printf '\nFAIL: %s idempotency keys are stored more than once\n' "$DUP" >&2; STATUS=1; }
[ "$REPLAY_ROWS" = 1 ] || { printf '\nFAIL: replaying one key left %s rows (want 1)\n' "$REPLAY_ROWS" >&2; STATUS=1; }
[ "$MAIL_UNQUEUED" = 0 ] || { printf '\nFAIL: %s acknowledged inputs have no queued message\n' "$MAIL_UNQUEUED" >&2; STATUS=1; }
[ "$(val replay non2xx)" = 0 ] || printf '\nWARNING: the replay run got non-2xx responses\n' >&2
[ "$(val new non2xx)" = 0 ] || printf '\nWARNING: the new-key run got non-2xx responses (see the table)\n' >&2
exit "$STATUS"
