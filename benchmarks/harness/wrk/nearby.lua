-- W1: k = 10 nearest `current` drivers within 2 km of a random point in the
-- dataset's box (the same box and sizes as the pgbench scripts).
-- The requests are made in init(), as wrk's SCRIPTING guide advises: wrk runs
-- on the same two cores as the server, and formatting a request per call cost
-- it 3 µs a request that W0 (a fixed request) does not pay.
local count = 20000
local requests = {}
local next_request = 0
local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
end

function init(args)
  math.randomseed(42 + id)
  for i = 1, count do
    local lat = -2.05 + math.random() * 0.2
    local lng = 29.95 + math.random() * 0.3
    requests[i] = wrk.format("GET", string.format("/v1/nearby?lat=%.6f&lng=%.6f&radius_m=2000&limit=10", lat, lng))
  end
end

request = function()
  next_request = next_request % count + 1
  return requests[next_request]
end

done = function(summary, latency, requests)
  io.write(string.format("p99.9 latency: %.3f ms\n", latency:percentile(99.9) / 1000))
end
