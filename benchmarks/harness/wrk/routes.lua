-- W3: GET of one of the routes harness.py route-paths computed once (so each
-- is in the route cache), in OSRM's default form (simplified polyline).
-- The requests are made once, as in nearby.lua.
local requests = {}
for line in io.lines(os.getenv("ROUTES")) do
  table.insert(requests, wrk.format("GET", line))
end
local next_request = 0

request = function()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

done = function(summary, latency, requests)
  io.write(string.format("p99.9 latency: %.3f ms\n", latency:percentile(99.9) / 1000))
end
