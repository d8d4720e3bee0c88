-- What the workload scripts share: threads numbered from 0 (`id` in each
-- thread's script), requests made once and served in turn, and the p99.9
-- line wrk's --latency table leaves out. A script loads it with
--   dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

-- BENCH_TOKEN: sent as a bearer token with every request (W1A, W5A).
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
end

-- Requests are made once (in init() or at load) and only handed out per
-- call, as wrk's scripting guide advises: wrk runs on the same two cores as
-- the server, and formatting a request per call cost it about 3 µs a request
-- that W0 (a fixed request) does not pay.
function serve_in_turn(requests)
  local next_request = 0
  request = function()
    next_request = next_request % #requests + 1
    return requests[next_request]
  end
end

-- With WRK_HISTOGRAM set, the latencies recorded ("microseconds count" per
-- line) are appended to that file, so that bench.sh can merge the slices of
-- one workload (see `alternating`) into exact percentiles.
done = function(summary, latency, requests)
  io.write(string.format("p99.9 latency: %.3f ms\n", latency:percentile(99.9) / 1000))
  local path = os.getenv("WRK_HISTOGRAM")
  if path then
    local file = assert(io.open(path, "a"))
    for i = 1, #latency do
      local microseconds, count = latency(i)
      file:write(microseconds, " ", count, "\n")
    end
    file:close()
  end
end
