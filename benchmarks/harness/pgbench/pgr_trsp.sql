-- W4 baseline: pgRouting's turn-restricted shortest path between a random one
-- of the 1,000 vertex pairs the in-process timing also answers, on the same
-- edges and the import's turn rows (path rows returned).
\set i random(1, :pairs)
SELECT * FROM pgr_trsp(
  'SELECT gid AS id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM road_network.ways',
  'SELECT id, cost, path FROM road_network.restrictions',
  (SELECT s FROM bench_pairs WHERE i = :i), (SELECT t FROM bench_pairs WHERE i = :i), true);
