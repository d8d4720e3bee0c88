-- W1 baseline: plain PostGIS k-nearest (what a user writes by hand): the GiST
-- index orders by distance, then the radius filter, k = 10 within 2 km.
\set lat -2.05 + random(0, 1000000) * 0.0000002
\set lng 29.95 + random(0, 1000000) * 0.0000003
SELECT user_id, ST_Distance(coordinates, p) AS d
FROM (SELECT user_id, coordinates, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography AS p
      FROM locations
      WHERE type = 'current'
      ORDER BY coordinates <-> ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography
      LIMIT 10) nearest
WHERE ST_DWithin(coordinates, p, 2000);
