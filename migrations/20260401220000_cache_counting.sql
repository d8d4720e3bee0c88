-- Counting without a lookup per entry: what an invalidation kills, and the
-- per-type figures of cache_stats.
--
-- Invalidation. invalidate_cache_tags answers how many live entries it killed:
-- the carriers not expired, less those already dead through another tag.
-- Migration 20260401200000 found those with a join of every carrier's tags
-- against cache_tag_versions: for a tag on 10,000 entries that join was most
-- of the call's time (make bench, W5). But a carrier can only be dead through
-- a tag invalidated after the oldest carrier was written; such tags are few
-- (cleanup purges), so they are looked up first (by version, hence the
-- index) and usually no carrier carries one: the second count reads index
-- pages only. The answer is as of the call's start, as before.

CREATE INDEX idx_cache_tag_versions_version ON cache_tag_versions (version);

CREATE OR REPLACE FUNCTION invalidate_cache_tags(p_tags text[]) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  v_tags text[];
  v_version bigint := nextval('cache_generation');
  v_count integer;
  v_oldest bigint;
  v_recent text[];
  v_chunk text := '';
  v_item text;
BEGIN
  SELECT coalesce(array_agg(DISTINCT t ORDER BY t), '{}') INTO v_tags
  FROM unnest(p_tags) t WHERE t IS NOT NULL;
  SELECT count(*), min(generation) INTO v_count, v_oldest
  FROM cache_entries WHERE tags && v_tags AND expires_at > now();
  IF v_count > 0 THEN
    SELECT array_agg(tag) INTO v_recent FROM cache_tag_versions WHERE version > v_oldest;
    IF v_recent IS NOT NULL THEN
      v_count := v_count - (
        SELECT count(*) FROM cache_entries c
        WHERE c.tags && v_tags AND c.tags && v_recent AND c.expires_at > now()
          AND EXISTS (SELECT 1 FROM cache_tag_versions v WHERE v.tag = ANY (c.tags) AND v.version > c.generation)
      );
    END IF;
  END IF;
  -- Tag versions in tag order, so that two concurrent calls with
  -- overlapping tags cannot deadlock.
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

-- cache_stats, restated again (same columns): migration 20260401200000
-- decided liveness with a tag-version lookup per entry, 5 s for 180,000
-- entries (EXPLAIN ANALYZE; once the version index above exists the planner
-- even rebuilds a hash of the versions per entry). Here the entries killed
-- through a tag are found with one hash join of all entries' tags against the
-- versions, read once (MATERIALIZED keeps the planner from probing the
-- version index per entry): 0.3 s for the same table.
CREATE OR REPLACE VIEW cache_stats WITH (security_invoker = true) AS
WITH versions AS MATERIALIZED (
  SELECT tag, version FROM cache_tag_versions
), killed AS (
  SELECT DISTINCT e.key
  FROM cache_entries e CROSS JOIN LATERAL unnest(e.tags) AS t(tag)
  JOIN versions v ON v.tag = t.tag
  WHERE v.version > e.generation
), rows AS (
  SELECT e.cache_type, e.size_bytes, e.hit_count, e.expires_at > now() AND k.key IS NULL AS live
  FROM cache_entries e LEFT JOIN killed k ON k.key = e.key
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
