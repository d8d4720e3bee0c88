-- W7 baseline: pgRouting's cost matrix between the 100 vertices the
-- in-process table and pandana also answer (every ordered pair).
SELECT count(*) FROM pgr_dijkstraCostMatrix(
  'SELECT gid AS id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM road_network.ways',
  (SELECT array_agg(id) FROM bench_table_vertices), true);
