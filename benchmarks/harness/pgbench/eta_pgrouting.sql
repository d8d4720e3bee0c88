-- W8 baseline: what a user builds without Wayline: PostGIS's 50 nearest
-- drivers within 3 km of a pickup, each on its nearest network vertex, then
-- pgRouting's Dijkstra costs from all of them to the pickup's vertex in one
-- call, the 10 soonest. The pickup is one of the same 1,000 vertices.
\set i random(1, 1000)
WITH pickup AS (
  SELECT id, the_geom FROM road_network.ways_vertices_pgr WHERE id = (SELECT id FROM bench_pickups WHERE i = :i)
), candidates AS (
  SELECT l.user_id,
         (SELECT v.id FROM road_network.ways_vertices_pgr v ORDER BY v.the_geom <-> l.coordinates::geometry LIMIT 1) AS vertex
  FROM locations l, pickup p
  WHERE l.type = 'current' AND ST_DWithin(l.coordinates, p.the_geom::geography, 3000)
  ORDER BY l.coordinates <-> p.the_geom::geography
  LIMIT 50
)
SELECT c.user_id, d.agg_cost
FROM pgr_dijkstraCost(
  'SELECT gid AS id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM road_network.ways',
  ARRAY(SELECT vertex FROM candidates), (SELECT id FROM pickup), true) d
JOIN candidates c ON c.vertex = d.start_vid
ORDER BY d.agg_cost, c.user_id
LIMIT 10;
