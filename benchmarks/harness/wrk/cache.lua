-- W5: GET of a random key of the standard dataset's cache entries (all live),
-- the same keys redis-benchmark's GET bench:__rand_int__ asks for.
-- With WARM=1 the threads instead walk disjoint halves of the keys in order
-- (bench.sh stops them once every entry is in the L1).
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

local entries = tonumber(os.getenv("ENTRIES") or "100000")
local step = 2  -- bench.sh runs wrk with -t2

local function key_request(n)
  return wrk.format("GET", string.format("/v1/cache/bench:%012d", n))
end

function init(args)
  local requests = {}
  if os.getenv("WARM") == "1" then
    for n = id, entries - 1, step do table.insert(requests, key_request(n)) end
  else
    math.randomseed(7 + id)
    for _ = 1, entries do table.insert(requests, key_request(math.random(0, entries - 1))) end
  end
  serve_in_turn(requests)
end
