-- W2G: W2's batch ingest over 50,000 drivers, each sent alternately at two
-- positions. The box of the standard dataset is a 100 x 100 grid of cells,
-- each with a fence at its centre (harness.py fences, same constants): a
-- tenth of the drivers go in and out of a fence (a crossing on every
-- write), the rest move between two points outside every fence.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")
math.randomseed(11)
local per_request, pairs_of_bodies = 500, 100
local south, west, cell_lat, cell_lng = -2.05, 29.95, 0.002, 0.003
local bodies = {}

local function centre()
  local i, j = math.random(0, 99), math.random(0, 99)
  return south + (i + 0.5) * cell_lat, west + (j + 0.5) * cell_lng
end

for b = 1, pairs_of_bodies do
  local first, second = {}, {}
  for i = 1, per_request do
    local n = (b - 1) * per_request + i
    local lat, lng = centre()
    local jitter_lat, jitter_lng = (math.random() - 0.5) * 0.0003, (math.random() - 0.5) * 0.0004
    -- Outside: near the cell's corner, well away from its fence (half a side: 0.0004 degrees).
    local out_lat, out_lng = lat + 0.0009, lng + 0.0013
    local in_lat, in_lng = lat + jitter_lat, lng + jitter_lng
    local a_lat, a_lng, b_lat, b_lng = out_lat, out_lng, out_lat + jitter_lat / 3, out_lng + jitter_lng / 3
    if n % 10 == 0 then a_lat, a_lng = in_lat, in_lng end
    local id = string.format("00000000-0000-4000-8000-%012d", n)
    first[i] = string.format('{"user_id":"%s","type":"current","lat":%.6f,"lng":%.6f}', id, a_lat, a_lng)
    second[i] = string.format('{"user_id":"%s","type":"current","lat":%.6f,"lng":%.6f}', id, b_lat, b_lng)
  end
  bodies[b] = '{"updates":[' .. table.concat(first, ",") .. ']}'
  bodies[b + pairs_of_bodies] = '{"updates":[' .. table.concat(second, ",") .. ']}'
end

local requests = {}
for b, body in ipairs(bodies) do
  requests[b] = wrk.format("POST", "/v1/locations/batch", {["Content-Type"] = "application/json"}, body)
end
serve_in_turn(requests)
