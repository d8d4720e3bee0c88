-- W5: GET of a random key of the standard dataset's cache entries (all live),
-- the same keys redis-benchmark's GET bench:__rand_int__ asks for.
-- With WARM=1 the threads instead walk disjoint halves of the keys in order
-- (bench.sh stops them once every entry is in the L1).
local entries = tonumber(os.getenv("ENTRIES") or "100000")
local warm = os.getenv("WARM") == "1"
local step = 2  -- bench.sh runs wrk with -t2
local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
end

function init(args)
  next_key = id
  math.randomseed(7 + id)
end

request = function()
  local n
  if warm then
    n = next_key % entries
    next_key = next_key + step
  else
    n = math.random(0, entries - 1)
  end
  return wrk.format("GET", string.format("/v1/cache/bench:%012d", n))
end

done = function(summary, latency, requests)
  io.write(string.format("p99.9 latency: %.3f ms\n", latency:percentile(99.9) / 1000))
end
