-- Seed 002, file 6: location and cache optimisation.
-- Tables: locations, routes, cache_entries; added: route_cache_lookups,
--         cache_lookup_counters (hit and miss counts the views report).
-- Functions: find_nearby_locations, get_cached_route, set_cache, get_cache,
--            cleanup_expired_cache, invalidate_cache_by_tag.
-- Views: cache_stats, route_cache_stats.
--
-- Coordinates are geography(Point, 4326): x = longitude, y = latitude, and
-- distances are geodesic on the WGS84 ellipsoid. Every ST_MakePoint below takes
-- (longitude, latitude).

CREATE TABLE locations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('current', 'home', 'work', 'favorite', 'pickup', 'dropoff')),
  coordinates geography(Point, 4326) NOT NULL,
  accuracy_m double precision CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
  altitude_m double precision,
  heading_deg double precision CHECK (heading_deg IS NULL OR (heading_deg >= 0 AND heading_deg < 360)),
  speed_mps double precision CHECK (speed_mps IS NULL OR speed_mps >= 0),
  address text,
  place_name text,
  place_id text,
  city text,
  country text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- When the device took the fix; an older fix never overwrites a newer one.
  recorded_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, type)
)
-- Driver positions are rewritten every few seconds. The position is indexed, so
-- these are never HOT updates, but free space on each page still lets the new
-- row version land on the same page (fewer pages dirtied, slower bloat), and
-- aggressive autovacuum reclaims dead versions before they pile up (seed 004).
WITH (fillfactor = 70,
      autovacuum_vacuum_scale_factor = 0.02,
      autovacuum_analyze_scale_factor = 0.02,
      autovacuum_vacuum_cost_delay = 0);

CREATE INDEX idx_locations_geo ON locations USING gist (coordinates);
CREATE INDEX idx_locations_type_updated ON locations (type, updated_at DESC);
CREATE TRIGGER trg_locations_updated_at BEFORE UPDATE ON locations
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE routes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  profile text NOT NULL DEFAULT 'driving',
  origin geography(Point, 4326) NOT NULL,
  destination geography(Point, 4326) NOT NULL,
  path geography(LineString, 4326),
  distance_meters double precision NOT NULL CHECK (distance_meters >= 0),
  duration_seconds double precision NOT NULL CHECK (duration_seconds >= 0),
  traffic_multiplier double precision NOT NULL DEFAULT 1.0 CHECK (traffic_multiplier > 0),
  encoded_polyline text,
  polyline_precision smallint NOT NULL DEFAULT 5 CHECK (polyline_precision BETWEEN 1 AND 7),
  provider text NOT NULL DEFAULT 'wayline',
  hit_count bigint NOT NULL DEFAULT 0,
  last_hit_at timestamptz,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '1 day'
);
CREATE INDEX idx_routes_origin ON routes USING gist (origin);
CREATE INDEX idx_routes_destination ON routes USING gist (destination);
CREATE INDEX idx_routes_expires ON routes (expires_at);

-- Hits and misses per day. A miss has no route row to count on, so both are
-- counted here; the service adds its in-memory counts in periodic batches.
CREATE TABLE route_cache_lookups (
  day date PRIMARY KEY,
  hits bigint NOT NULL DEFAULT 0,
  misses bigint NOT NULL DEFAULT 0
);

CREATE TABLE cache_entries (
  key text PRIMARY KEY CHECK (octet_length(key) BETWEEN 1 AND 512),
  value jsonb NOT NULL,
  cache_type text NOT NULL DEFAULT 'general' CHECK (length(cache_type) BETWEEN 1 AND 100),
  tags text[] NOT NULL DEFAULT '{}',
  size_bytes integer GENERATED ALWAYS AS (octet_length(value::text)) STORED,
  hit_count bigint NOT NULL DEFAULT 0,
  last_accessed_at timestamptz,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_cache_tags ON cache_entries USING gin (tags);
CREATE INDEX idx_cache_expires ON cache_entries (expires_at);
CREATE INDEX idx_cache_type ON cache_entries (cache_type);
CREATE TRIGGER trg_cache_entries_updated_at BEFORE UPDATE OF value, tags, expires_at, cache_type ON cache_entries
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Misses per type: a miss on a key that was never set is counted under 'unknown'.
CREATE TABLE cache_lookup_counters (
  cache_type text PRIMARY KEY,
  hits bigint NOT NULL DEFAULT 0,
  misses bigint NOT NULL DEFAULT 0
);

ALTER TABLE locations ENABLE ROW LEVEL SECURITY;
ALTER TABLE routes ENABLE ROW LEVEL SECURITY;
ALTER TABLE route_cache_lookups ENABLE ROW LEVEL SECURITY;
ALTER TABLE cache_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE cache_lookup_counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON locations FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY users_read_own ON locations FOR SELECT TO authenticated USING (auth.uid() = user_id);
CREATE POLICY service_role_full_access ON routes FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY authenticated_read ON routes FOR SELECT TO authenticated USING (true);
CREATE POLICY service_role_full_access ON route_cache_lookups FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_role_full_access ON cache_entries FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_role_full_access ON cache_lookup_counters FOR ALL TO service_role USING (true) WITH CHECK (true);

CREATE FUNCTION validate_coordinate(p_lat double precision, p_lng double precision, p_name text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
  IF p_lat IS NULL OR p_lat = 'NaN'::double precision OR p_lat < -90 OR p_lat > 90 THEN
    RAISE EXCEPTION '% latitude must be between -90 and 90, got %', p_name, p_lat
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_lng IS NULL OR p_lng = 'NaN'::double precision OR p_lng < -180 OR p_lng > 180 THEN
    RAISE EXCEPTION '% longitude must be between -180 and 180, got %', p_name, p_lng
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
END
$$;

-- Up to p_limit locations within p_radius_meters of the point, nearest first,
-- distances geodesic on WGS84; p_max_age_seconds, when given, drops locations
-- not updated within that time.
--
-- Exact and index-driven in two steps. The GiST index orders by the spherical
-- distance (<->), which can rank two nearly equidistant points differently
-- from the ellipsoid, so it only bounds the answer: the k nearest on the
-- sphere all lie within some ellipsoidal distance D of the point, hence so do
-- the true k nearest. The second step takes everything within min(D, radius)
-- (ST_DWithin on geography is ellipsoidal) and orders it by exact distance.
-- Scanning the whole radius instead would compute thousands of distances in
-- a dense city for ten answers.
CREATE FUNCTION find_nearby_locations(
  p_lat double precision,
  p_lng double precision,
  p_radius_meters double precision DEFAULT 1000,
  p_location_type text DEFAULT NULL,
  p_limit integer DEFAULT 20,
  p_max_age_seconds integer DEFAULT NULL
) RETURNS TABLE (
  location_id uuid,
  user_id uuid,
  type text,
  lat double precision,
  lng double precision,
  distance_meters double precision,
  recorded_at timestamptz,
  updated_at timestamptz
)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_point geography;
  v_limit integer := greatest(coalesce(p_limit, 20), 0);
  v_bound double precision;
  v_found integer;
BEGIN
  PERFORM validate_coordinate(p_lat, p_lng, 'search');
  IF p_radius_meters IS NULL OR NOT (p_radius_meters > 0) OR p_radius_meters = 'Infinity' THEN
    RAISE EXCEPTION 'radius must be a positive number of metres, got %', p_radius_meters
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_point := ST_SetSRID(ST_MakePoint(p_lng, p_lat), 4326)::geography;

  SELECT max(ST_Distance(k.coordinates, v_point)), count(*) INTO v_bound, v_found
  FROM (SELECT l.coordinates FROM locations l
        WHERE (p_location_type IS NULL OR l.type = p_location_type)
          AND (p_max_age_seconds IS NULL OR l.updated_at >= now() - make_interval(secs => p_max_age_seconds))
        ORDER BY l.coordinates <-> v_point
        LIMIT v_limit) k;
  -- ST_DWithin and ST_Distance compute the same geodesic by different code
  -- paths; a centimetre of slack keeps the farthest of the k inside the bound.
  v_bound := v_bound + 0.01;
  IF v_found < v_limit OR v_bound > p_radius_meters THEN
    v_bound := p_radius_meters;
  END IF;

  RETURN QUERY
  SELECT l.id, l.user_id, l.type, ST_Y(l.coordinates::geometry), ST_X(l.coordinates::geometry),
         ST_Distance(l.coordinates, v_point) AS d, l.recorded_at, l.updated_at
  FROM locations l
  WHERE ST_DWithin(l.coordinates, v_point, v_bound)
    AND (p_location_type IS NULL OR l.type = p_location_type)
    AND (p_max_age_seconds IS NULL OR l.updated_at >= now() - make_interval(secs => p_max_age_seconds))
  ORDER BY d, l.user_id
  LIMIT v_limit;
END
$$;

-- The freshest stored route whose origin and destination each lie within
-- p_tolerance_meters of the requested ones, younger than p_max_age_minutes and
-- not expired. A hit bumps the route's hit count; hits and misses are counted
-- per day for route_cache_stats.
CREATE FUNCTION get_cached_route(
  p_origin_lat double precision,
  p_origin_lng double precision,
  p_dest_lat double precision,
  p_dest_lng double precision,
  p_max_age_minutes integer DEFAULT 60,
  p_tolerance_meters double precision DEFAULT 50,
  p_profile text DEFAULT 'driving'
) RETURNS SETOF routes
LANGUAGE plpgsql
AS $$
DECLARE
  v_origin geography;
  v_destination geography;
  v_route routes%ROWTYPE;
BEGIN
  PERFORM validate_coordinate(p_origin_lat, p_origin_lng, 'origin');
  PERFORM validate_coordinate(p_dest_lat, p_dest_lng, 'destination');
  v_origin := ST_SetSRID(ST_MakePoint(p_origin_lng, p_origin_lat), 4326)::geography;
  v_destination := ST_SetSRID(ST_MakePoint(p_dest_lng, p_dest_lat), 4326)::geography;

  SELECT r.* INTO v_route
  FROM routes r
  WHERE r.profile = p_profile
    AND ST_DWithin(r.origin, v_origin, p_tolerance_meters)
    AND ST_DWithin(r.destination, v_destination, p_tolerance_meters)
    AND r.created_at >= now() - make_interval(mins => p_max_age_minutes)
    AND r.expires_at > now()
  ORDER BY ST_Distance(r.origin, v_origin) + ST_Distance(r.destination, v_destination), r.created_at DESC
  LIMIT 1;

  INSERT INTO route_cache_lookups AS c (day, hits, misses)
  VALUES (current_date, CASE WHEN FOUND THEN 1 ELSE 0 END, CASE WHEN FOUND THEN 0 ELSE 1 END)
  ON CONFLICT (day) DO UPDATE SET hits = c.hits + EXCLUDED.hits, misses = c.misses + EXCLUDED.misses;

  IF v_route.id IS NOT NULL THEN
    UPDATE routes SET hit_count = hit_count + 1, last_hit_at = now() WHERE id = v_route.id
    RETURNING * INTO v_route;
    RETURN NEXT v_route;
  END IF;
END
$$;

-- Stores or replaces a value for p_ttl_seconds (1 second to 1 year) and
-- returns its expiry.
CREATE FUNCTION set_cache(
  p_key text,
  p_value jsonb,
  p_ttl_seconds integer DEFAULT 3600,
  p_cache_type text DEFAULT 'general',
  p_tags text[] DEFAULT '{}'
) RETURNS timestamptz
LANGUAGE plpgsql
AS $$
DECLARE
  v_expires timestamptz;
BEGIN
  IF p_ttl_seconds IS NULL OR p_ttl_seconds < 1 OR p_ttl_seconds > 31536000 THEN
    RAISE EXCEPTION 'ttl must be between 1 and 31536000 seconds, got %', p_ttl_seconds
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_value IS NULL THEN
    RAISE EXCEPTION 'value is required' USING ERRCODE = 'not_null_violation';
  END IF;
  INSERT INTO cache_entries AS c (key, value, cache_type, tags, expires_at)
  VALUES (p_key, p_value, coalesce(p_cache_type, 'general'), coalesce(p_tags, '{}'),
          now() + make_interval(secs => p_ttl_seconds))
  ON CONFLICT (key) DO UPDATE
    SET value = EXCLUDED.value, cache_type = EXCLUDED.cache_type, tags = EXCLUDED.tags,
        expires_at = EXCLUDED.expires_at, hit_count = 0, last_accessed_at = NULL
  RETURNING expires_at INTO v_expires;
  RETURN v_expires;
END
$$;

-- The value stored under p_key, or NULL when it is missing or expired (an
-- expired entry is never returned, even before the cleanup job removes it).
CREATE FUNCTION get_cache(p_key text) RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  v_value jsonb;
  v_type text;
BEGIN
  UPDATE cache_entries
  SET hit_count = hit_count + 1, last_accessed_at = now()
  WHERE key = p_key AND expires_at > now()
  RETURNING value, cache_type INTO v_value, v_type;
  IF FOUND THEN
    INSERT INTO cache_lookup_counters AS c (cache_type, hits) VALUES (v_type, 1)
    ON CONFLICT (cache_type) DO UPDATE SET hits = c.hits + 1;
  ELSE
    INSERT INTO cache_lookup_counters AS c (cache_type, misses)
    VALUES (coalesce((SELECT cache_type FROM cache_entries WHERE key = p_key), 'unknown'), 1)
    ON CONFLICT (cache_type) DO UPDATE SET misses = c.misses + 1;
  END IF;
  RETURN v_value;
END
$$;

-- Deletes expired entries in batches of p_batch_size, skipping rows another
-- session holds, so it never takes a long lock. Returns how many it deleted.
CREATE FUNCTION cleanup_expired_cache(p_batch_size integer DEFAULT 5000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_total integer := 0;
  v_batch integer;
BEGIN
  LOOP
    DELETE FROM cache_entries
    WHERE key IN (SELECT key FROM cache_entries WHERE expires_at <= now()
                  LIMIT greatest(p_batch_size, 1) FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS v_batch = ROW_COUNT;
    v_total := v_total + v_batch;
    EXIT WHEN v_batch < greatest(p_batch_size, 1);
  END LOOP;
  DELETE FROM routes WHERE expires_at <= now();
  RETURN v_total;
END
$$;

-- Deletes every entry carrying the tag, in one statement, and returns how many.
CREATE FUNCTION invalidate_cache_by_tag(p_tag text) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  v_count integer;
BEGIN
  DELETE FROM cache_entries WHERE tags @> ARRAY[p_tag];
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$;

CREATE VIEW cache_stats WITH (security_invoker = true) AS
WITH entries AS (
  SELECT cache_type,
         count(*) AS entry_count,
         count(*) FILTER (WHERE expires_at > now()) AS live_count,
         count(*) FILTER (WHERE expires_at <= now()) AS expired_count,
         coalesce(sum(size_bytes), 0) AS total_bytes,
         coalesce(sum(hit_count), 0) AS entry_hits
  FROM cache_entries
  GROUP BY cache_type
)
SELECT coalesce(e.cache_type, c.cache_type) AS cache_type,
       coalesce(e.entry_count, 0) AS entry_count,
       coalesce(e.live_count, 0) AS live_count,
       coalesce(e.expired_count, 0) AS expired_count,
       coalesce(e.total_bytes, 0) AS total_bytes,
       coalesce(c.hits, 0) AS hits,
       coalesce(c.misses, 0) AS misses,
       CASE WHEN coalesce(c.hits, 0) + coalesce(c.misses, 0) = 0 THEN NULL
            ELSE c.hits::double precision / (c.hits + c.misses) END AS hit_ratio
FROM entries e
FULL JOIN cache_lookup_counters c ON c.cache_type = e.cache_type;

CREATE VIEW route_cache_stats WITH (security_invoker = true) AS
SELECT (SELECT count(*) FROM routes) AS route_count,
       (SELECT count(*) FROM routes WHERE expires_at > now()) AS live_route_count,
       (SELECT count(*) FROM routes WHERE expires_at <= now()) AS expired_route_count,
       (SELECT avg(distance_meters) FROM routes)::double precision AS avg_distance_meters,
       (SELECT avg(duration_seconds) FROM routes)::double precision AS avg_duration_seconds,
       coalesce(sum(l.hits), 0) AS hits,
       coalesce(sum(l.misses), 0) AS misses,
       CASE WHEN coalesce(sum(l.hits + l.misses), 0) = 0 THEN NULL
            ELSE sum(l.hits)::double precision / sum(l.hits + l.misses) END AS hit_ratio,
       coalesce(sum(l.hits) FILTER (WHERE l.day = current_date), 0) AS hits_today,
       coalesce(sum(l.misses) FILTER (WHERE l.day = current_date), 0) AS misses_today
FROM route_cache_lookups l;
