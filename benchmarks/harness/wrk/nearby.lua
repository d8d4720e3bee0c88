-- W1: k = 10 nearest `current` drivers within 2 km of a random point in the
-- dataset's box (the same box and sizes as the pgbench scripts).
math.randomseed(42)

request = function()
  local lat = -2.05 + math.random() * 0.2
  local lng = 29.95 + math.random() * 0.3
  return wrk.format("GET", string.format("/v1/nearby?lat=%.6f&lng=%.6f&radius_m=2000&limit=10", lat, lng))
end

done = function(summary, latency, requests)
  io.write(string.format("p99.9 latency: %.3f ms\n", latency:percentile(99.9) / 1000))
end
