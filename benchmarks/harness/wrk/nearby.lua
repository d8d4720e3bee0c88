-- W1: k = 10 nearest `current` drivers within 2 km of a random point in the
-- dataset's box (the same box and sizes as the pgbench scripts), 20,000
-- points per thread. BENCH_FILTER is appended to each query (W1F).
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

local filter = os.getenv("BENCH_FILTER") or ""

function init(args)
  math.randomseed(42 + id)
  local requests = {}
  for i = 1, 20000 do
    local lat = -2.05 + math.random() * 0.2
    local lng = 29.95 + math.random() * 0.3
    requests[i] = wrk.format("GET", string.format("/v1/nearby?lat=%.6f&lng=%.6f&radius_m=2000&limit=10", lat, lng) .. filter)
  end
  serve_in_turn(requests)
end
