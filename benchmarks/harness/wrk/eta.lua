-- W8: the 10 drivers soonest at a pickup by road within 3 km, the pickup one
-- of PICKUPS (lat,lng lines: vertices of the imported network), in turn.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

local requests = {}
for line in io.lines(os.getenv("PICKUPS")) do
  local lat, lng = line:match("([^,]+),([^,]+)")
  table.insert(requests, wrk.format("GET", string.format("/v1/nearby?lat=%s&lng=%s&radius_m=3000&limit=10&rank=eta", lat, lng)))
end
serve_in_turn(requests)
