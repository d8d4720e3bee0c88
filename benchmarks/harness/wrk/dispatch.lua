-- W9: single position writes (PUT /v1/locations/{id}/current), as a fleet of
-- 100,000 drivers sends them, each to a random driver of the fleet at a
-- random point of the dataset's box; 20,000 prepared per thread.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

function init(args)
  math.randomseed(9 + id)
  local requests = {}
  for i = 1, 20000 do
    local driver = math.random(0, 99999)
    local body = string.format('{"lat":%.6f,"lng":%.6f}', -2.05 + math.random() * 0.2, 29.95 + math.random() * 0.3)
    requests[i] = wrk.format("PUT", string.format("/v1/locations/00000000-0000-4000-9000-%012d/current", driver),
      {["Content-Type"] = "application/json"}, body)
  end
  serve_in_turn(requests)
end
