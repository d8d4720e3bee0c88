-- W3: GET of one of the routes harness.py route-paths computed once (so each
-- is in the route cache), in OSRM's default form (simplified polyline).
local paths = {}
for line in io.lines(os.getenv("ROUTES")) do
  table.insert(paths, line)
end
local next_path = 0

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

done = function(summary, latency, requests)
  io.write(string.format("p99.9 latency: %.3f ms\n", latency:percentile(99.9) / 1000))
end
