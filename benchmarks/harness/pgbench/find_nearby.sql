-- W1 baseline: the seed's own function, k = 10 within 2 km.
\set lat -2.05 + random(0, 1000000) * 0.0000002
\set lng 29.95 + random(0, 1000000) * 0.0000003
SELECT * FROM find_nearby_locations(:lat, :lng, 2000, 'current', 10);
