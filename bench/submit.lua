-- wrk script for POST /api/submissions (see scripts/bench.sh).
--
-- Environment:
--   BENCH_MODE  "new" (default): every request carries a new idempotency key,
--               unique across wrk threads (run id + thread id + counter),
--               in the Idempotency-Key header and in the body.
--               "replay": every request re-sends BENCH_KEY with the same body
--               (the endpoint should answer 200 with the first reference).
--   BENCH_KEY   the key to replay (replay mode).
--   BENCH_OUT   file that done() writes: one "key value" line per measure and,
--               in "new" mode, one "ref <reference>" line per 201 received.
--
-- A response callback is set, so wrk parses every body (slightly slower than
-- bare wrk, the same for both modes).

local mode = os.getenv("BENCH_MODE") or "new"
local replay_key = os.getenv("BENCH_KEY") or "00000000-0000-4000-8000-000000000000"

local threads = {}
local next_id = 0

-- Runs in the main Lua state once per thread, before the threads start.
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  -- A per-run prefix so two runs never share keys even against one database.
  thread:set("run", tonumber(os.getenv("BENCH_RUN") or "0") % 0x100000000)
  table.insert(threads, thread)
end

local function body_for(key)
  return '{"idempotency_key":"' .. key .. '","language":"ar","name":"سارة","organisation":"",'
    .. '"email":"sara@example.org","country":"EG","stakeholder_group":"civil_society",'
    .. '"stakeholder_group_other":"","title":"عنوان","input":"نص المدخلات","link":"",'
    .. '"consent":true,"directions":{},"website":"","fill_ms":5000}'
end

-- Per-thread state (each wrk thread has its own Lua state).
counter = 0
statuses = {}
refs = {}
local replay_request

function init(args)
  tid = tid or 0
  run = run or 0
  if mode == "replay" then
    replay_request = wrk.format("POST", "/api/submissions", {
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = replay_key,
    }, body_for(replay_key))
  end
end

function request()
  if replay_request then
    return replay_request
  end
  counter = counter + 1
  -- 8-4-4-4-12 hex, version 4 / variant 8 nibbles: run, thread, counter.
  local key = string.format("%08x-%04x-4%03x-8%03x-%012x",
    run, tid % 0x10000, math.floor(counter / 0x1000000000000) % 0x1000, 0, counter % 0x1000000000000)
  return wrk.format("POST", "/api/submissions", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key,
  }, body_for(key))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local ref = string.match(body, '"reference"%s*:%s*"([^"]+)"')
    refs[#refs + 1] = ref or "?"
  end
end

-- Runs in the main Lua state after the run; latency is in microseconds.
function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_OUT") or "/dev/stdout", "w"))
  local total = {}
  local sent = 0
  for _, thread in ipairs(threads) do
    local st = thread:get("statuses") or {}
    for code, n in pairs(st) do
      total[code] = (total[code] or 0) + n
    end
    sent = sent + (thread:get("counter") or 0)
    if mode ~= "replay" then
      for _, ref in ipairs(thread:get("refs") or {}) do
        out:write("ref ", ref, "\n")
      end
    end
  end
  local seconds = summary.duration / 1e6
  out:write(string.format("requests %d\n", summary.requests))
  out:write(string.format("duration_s %.3f\n", seconds))
  out:write(string.format("rps %.1f\n", summary.requests / seconds))
  out:write(string.format("p50_ms %.3f\n", latency:percentile(50) / 1000))
  out:write(string.format("p99_ms %.3f\n", latency:percentile(99) / 1000))
  out:write(string.format("max_ms %.3f\n", latency.max / 1000))
  out:write(string.format("keys_generated %d\n", sent))
  local non2xx = 0
  for code, n in pairs(total) do
    out:write(string.format("status_%d %d\n", code, n))
    if code < 200 or code > 299 then
      non2xx = non2xx + n
    end
  end
  out:write(string.format("non2xx %d\n", non2xx))
  local e = summary.errors
  out:write(string.format("socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
  out:write(string.format("timeouts %d\n", e.timeout))
  out:close()
end
