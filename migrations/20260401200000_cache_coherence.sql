-- Makes the tag-invalidated cache safe to keep in front of: every instance's
-- in-memory L1 copy, and a set racing an invalidation.
--
-- Ordering. Every write of an entry and every invalidation of a tag draws a
-- number from one sequence, cache_generation. An entry is live only while no
-- tag it carries has been invalidated at a later generation. So a set that
-- drew its number before an invalidation of one of its tags is dead on read,
-- even when it commits after the invalidation's DELETE ran (that DELETE could
-- not see the row yet). A set that drew after the invalidation survives it:
-- it began later. Tag versions are only needed while an entry written before
-- them could still be live, which TTLs cap at one year; cleanup prunes older.
--
-- Invalidation is logical: one statement bumps the tags' versions (and counts
-- what that kills), so its cost does not grow with the number of entries a
-- tag carries; the dead rows are removed afterwards in small batches by
-- cleanup_cache_batch, never in one long transaction.
--
-- Fan-out. Sets, deletes and invalidations notify channel 'wayline_cache'
-- (delivered at commit): 'k' || key, or 't' || a JSON array of tags, split so
-- that no payload comes near PostgreSQL's 8000-byte limit.

CREATE SEQUENCE cache_generation;

ALTER TABLE cache_entries ADD COLUMN generation bigint NOT NULL DEFAULT nextval('cache_generation');
-- Hit counts are flushed into existing rows every second; free space on each
-- page lets those updates stay HOT (no indexed column changes).
ALTER TABLE cache_entries SET (fillfactor = 85);

CREATE TABLE cache_tag_versions (
  tag text PRIMARY KEY,
  version bigint NOT NULL,
  -- Entries of this tag older than this version are already removed.
  purged_version bigint NOT NULL DEFAULT 0,
  invalidated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_cache_tag_versions_invalidated ON cache_tag_versions (invalidated_at);
CREATE INDEX idx_cache_tag_versions_unpurged ON cache_tag_versions (invalidated_at) WHERE version > purged_version;
ALTER TABLE cache_tag_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON cache_tag_versions FOR ALL TO service_role USING (true) WITH CHECK (true);
GRANT ALL ON cache_tag_versions TO service_role;
GRANT USAGE ON SEQUENCE cache_generation TO service_role;

-- True when an entry with these columns may be served. SQL, so it inlines.
CREATE FUNCTION cache_entry_is_live(p_tags text[], p_generation bigint, p_expires_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT p_expires_at > now()
     AND NOT EXISTS (SELECT 1 FROM cache_tag_versions v WHERE v.tag = ANY (p_tags) AND v.version > p_generation)
$$;

-- The seed's set_cache stays as it is; two triggers add what coherence needs.
-- Its upsert leaves generation alone when it replaces an entry, so a rewrite
-- draws a new one here; hit-count flushes touch none of these columns and
-- keep theirs.
CREATE FUNCTION cache_entry_take_generation() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.generation := nextval('cache_generation');
  RETURN NEW;
END
$$;
CREATE TRIGGER cache_entries_generation
  BEFORE UPDATE OF value, cache_type, tags, expires_at ON cache_entries
  FOR EACH ROW EXECUTE FUNCTION cache_entry_take_generation();

-- Every instance drops its L1 copy of a written key (delivered at commit).
CREATE FUNCTION cache_entry_announce() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM pg_notify('wayline_cache', 'k' || NEW.key);
  RETURN NULL;
END
$$;
CREATE TRIGGER cache_entries_announce
  AFTER INSERT OR UPDATE OF value, cache_type, tags, expires_at ON cache_entries
  FOR EACH ROW EXECUTE FUNCTION cache_entry_announce();

-- get_cache is restated whole, because the seed's checks only expiry: here an
-- entry must also have outlived its tags' invalidations.
CREATE OR REPLACE FUNCTION get_cache(p_key text) RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  v_value jsonb;
  v_type text;
BEGIN
  UPDATE cache_entries
  SET hit_count = hit_count + 1, last_accessed_at = now()
  WHERE key = p_key AND cache_entry_is_live(tags, generation, expires_at)
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

-- Deletes one entry; true when there was one.
CREATE FUNCTION delete_cache(p_key text) RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  DELETE FROM cache_entries WHERE key = p_key;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM pg_notify('wayline_cache', 'k' || p_key);
  RETURN true;
END
$$;

-- Invalidates every entry carrying any of p_tags, atomically, and returns how
-- many live entries that killed. Tag versions are written in tag order so
-- that two concurrent calls with overlapping tags cannot deadlock.
CREATE FUNCTION invalidate_cache_tags(p_tags text[]) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  v_tags text[];
  v_version bigint := nextval('cache_generation');
  v_count integer;
  v_chunk text := '';
  v_item text;
BEGIN
  SELECT coalesce(array_agg(DISTINCT t ORDER BY t), '{}') INTO v_tags
  FROM unnest(p_tags) t WHERE t IS NOT NULL;
  -- Carriers not yet expired, less those already dead through some tag: a
  -- hash join on the carriers' tags, not a lookup per carrier.
  WITH carriers AS (
    SELECT key, tags, generation FROM cache_entries WHERE tags && v_tags AND expires_at > now()
  ), dead AS (
    SELECT DISTINCT c.key FROM carriers c CROSS JOIN LATERAL unnest(c.tags) AS t(tag)
    JOIN cache_tag_versions v ON v.tag = t.tag AND v.version > c.generation
  )
  SELECT (SELECT count(*) FROM carriers) - (SELECT count(*) FROM dead) INTO v_count;
  INSERT INTO cache_tag_versions AS v (tag, version, invalidated_at)
  SELECT t, v_version, now() FROM unnest(v_tags) t ORDER BY t
  ON CONFLICT (tag) DO UPDATE SET version = EXCLUDED.version, invalidated_at = EXCLUDED.invalidated_at;
  FOREACH v_item IN ARRAY v_tags LOOP
    v_item := to_json(v_item)::text;
    IF v_chunk <> '' AND octet_length(v_chunk) + octet_length(v_item) > 7000 THEN
      PERFORM pg_notify('wayline_cache', 't[' || v_chunk || ']');
      v_chunk := '';
    END IF;
    v_chunk := CASE WHEN v_chunk = '' THEN v_item ELSE v_chunk || ',' || v_item END;
  END LOOP;
  IF v_chunk <> '' THEN
    PERFORM pg_notify('wayline_cache', 't[' || v_chunk || ']');
  END IF;
  RETURN v_count;
END
$$;

CREATE OR REPLACE FUNCTION invalidate_cache_by_tag(p_tag text) RETURNS integer
LANGUAGE sql
AS $$ SELECT invalidate_cache_tags(ARRAY[p_tag]) $$;

-- Removes up to p_batch_size dead entries (expired, or invalidated through a
-- tag) in one short transaction when called on its own, and returns how
-- many: the service calls it until it returns less, pausing between calls,
-- where cleanup_expired_cache holds every lock until its whole loop ends.
-- Also prunes tag versions nothing can need any more.
CREATE FUNCTION cleanup_cache_batch(p_batch_size integer DEFAULT 1000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_limit integer := greatest(p_batch_size, 1);
  v_total integer;
  v_count integer;
  v_tag text;
  v_version bigint;
BEGIN
  DELETE FROM cache_entries
  WHERE key IN (SELECT key FROM cache_entries WHERE expires_at <= now() LIMIT v_limit FOR UPDATE SKIP LOCKED);
  GET DIAGNOSTICS v_total = ROW_COUNT;
  FOR v_tag, v_version IN
    SELECT tag, version FROM cache_tag_versions WHERE version > purged_version ORDER BY invalidated_at LIMIT 100
  LOOP
    EXIT WHEN v_total >= v_limit;
    DELETE FROM cache_entries
    WHERE key IN (SELECT key FROM cache_entries WHERE tags @> ARRAY[v_tag] AND generation < v_version
                  LIMIT v_limit - v_total FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_total := v_total + v_count;
    IF v_total < v_limit THEN
      UPDATE cache_tag_versions SET purged_version = v_version WHERE tag = v_tag AND version = v_version;
    END IF;
  END LOOP;
  DELETE FROM cache_tag_versions
  WHERE tag IN (SELECT tag FROM cache_tag_versions WHERE invalidated_at < now() - interval '366 days'
                LIMIT v_limit FOR UPDATE SKIP LOCKED);
  RETURN v_total;
END
$$;

-- The seed's view, with invalidated entries counted as dead, not live.
CREATE OR REPLACE VIEW cache_stats WITH (security_invoker = true) AS
WITH rows AS (
  SELECT cache_type, size_bytes, hit_count, cache_entry_is_live(tags, generation, expires_at) AS live
  FROM cache_entries
), entries AS (
  SELECT cache_type,
         count(*) AS entry_count,
         count(*) FILTER (WHERE live) AS live_count,
         count(*) FILTER (WHERE NOT live) AS expired_count,
         coalesce(sum(size_bytes), 0) AS total_bytes,
         coalesce(sum(hit_count), 0) AS entry_hits
  FROM rows
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
