-- W3: GET of one of the routes harness.py route-paths computed once (so each
-- is in the route cache), in OSRM's default form (simplified polyline).
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

local requests = {}
for line in io.lines(os.getenv("ROUTES")) do
  table.insert(requests, wrk.format("GET", line))
end
serve_in_turn(requests)
