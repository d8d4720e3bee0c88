-- W1F baseline: W1's PostGIS k-nearest with the jsonb condition a user would
-- add, applied while the GiST index walks outwards (before the LIMIT).
\set lat -2.05 + random(0, 1000000) * 0.0000002
\set lng 29.95 + random(0, 1000000) * 0.0000003
SELECT user_id, ST_Distance(coordinates, p) AS d
FROM (SELECT user_id, coordinates, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography AS p
      FROM locations
      WHERE type = 'current' AND metadata @> '{"status": "available"}'
      ORDER BY coordinates <-> ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography
      LIMIT 10) nearest
WHERE ST_DWithin(coordinates, p, 2000);
