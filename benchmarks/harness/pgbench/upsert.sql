-- W2 ceiling: the raw server-side upsert of 500 positions in one statement.
\set base random(0, :drivers - 501)
INSERT INTO locations (user_id, type, coordinates, recorded_at)
SELECT user_id, 'current', ST_SetSRID(ST_MakePoint(29.95 + random() * 0.3, -2.05 + random() * 0.2), 4326)::geography, now()
FROM bench_driver_ids WHERE n BETWEEN :base AND :base + 499 ORDER BY n
ON CONFLICT (user_id, type) DO UPDATE SET coordinates = EXCLUDED.coordinates, recorded_at = EXCLUDED.recorded_at;
