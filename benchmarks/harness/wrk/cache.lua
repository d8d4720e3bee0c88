-- W5: GET of a random key of the standard dataset's cache entries (all live),
-- the same keys redis-benchmark's GET bench:__rand_int__ asks for; the
-- requests are made in init(), as in nearby.lua.
-- With WARM=1 the threads instead walk disjoint halves of the keys in order
-- (bench.sh stops them once every entry is in the L1).
local entries = tonumber(os.getenv("ENTRIES") or "100000")
local warm = os.getenv("WARM") == "1"
local step = 2  -- bench.sh runs wrk with -t2
local created = 0
local requests = {}
local count = 0
local next_request = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
end

local function key_request(n)
  return wrk.format("GET", string.format("/v1/cache/bench:%012d", n))
end

function init(args)
  if warm then
    for n = id, entries - 1, step do table.insert(requests, key_request(n)) end
  else
    math.randomseed(7 + id)
    for _ = 1, entries do table.insert(requests, key_request(math.random(0, entries - 1))) end
  end
  count = #requests
end

request = function()
  next_request = next_request % count + 1
  return requests[next_request]
end

done = function(summary, latency, requests)
  io.write(string.format("p99.9 latency: %.3f ms\n", latency:percentile(99.9) / 1000))
end
