-- W2: position ingest through the batch API, 500 updates per request over a
-- fleet of 50,000 drivers (bodies prepared up front so wrk measures the server).
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")
math.randomseed(7)
local bodies = {}
local per_request = 500

for b = 1, 100 do
  local items = {}
  for i = 1, per_request do
    local n = (b - 1) * per_request + i
    items[i] = string.format(
      '{"user_id":"00000000-0000-4000-8000-%012d","type":"current","lat":%.6f,"lng":%.6f}',
      n, -2.05 + math.random() * 0.2, 29.95 + math.random() * 0.3)
  end
  bodies[b] = '{"updates":[' .. table.concat(items, ",") .. ']}'
end

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/locations/batch", {["Content-Type"] = "application/json"}, bodies[(counter % #bodies) + 1])
end
