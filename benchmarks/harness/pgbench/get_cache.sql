-- W5 baseline: the seed's get_cache on a hit (it also counts the hit).
\set n random(0, :entries - 1)
SELECT get_cache('bench:' || lpad(:n::text, 12, '0'));
