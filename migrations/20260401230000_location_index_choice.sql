-- Why locations.coordinates keeps a GiST index (migration 20260401150000),
-- measured rather than assumed: `WAYLINE_BENCH_WORKLOADS=IX make bench` puts
-- each candidate in turn under the W2 upsert ceiling (500 positions a
-- statement, 32 clients) and W1's KNN query (k = 10 within 2 km), on the
-- standard 100,000 drivers. Run 20261122T181816Z (AMD EPYC, 2 cores):
--
--   index     upserts/s   KNN queries/s
--   GiST         43,089           4,595
--   SP-GiST      34,271              40
--   none         54,106              37
--
-- SP-GiST costs writes more than GiST and cannot order geography by
-- distance (`<->` falls back to sorting the whole table), so PostGIS KNN,
-- which answers nearby queries for every type but `current`, needs GiST.
-- Without a spatial index writes gain a quarter and KNN becomes a full scan:
-- 124 times slower. GiST stays; the comment keeps the reason in the catalog.
COMMENT ON INDEX idx_locations_geo IS
  'GiST: the only candidate that serves KNN on geography; measured against SP-GiST and none (WAYLINE_BENCH_WORKLOADS=IX make bench).';
