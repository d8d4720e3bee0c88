-- A tag's version only rises. invalidate_cache_tags draws its version when
-- it starts and writes it when it ends; of two overlapping calls on one tag,
-- the one that drew the lower version could write last and put the tag's
-- version back, and an entry written before the other call began would live
-- again (CacheAPITests' linearizability test saw it under load;
-- CacheCoherenceSchemaTests.aTagVersionNeverFalls makes it happen). The
-- function is restated with the upsert keeping the higher version.

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
  -- overlapping tags cannot deadlock; a version only ever rises.
  INSERT INTO cache_tag_versions AS v (tag, version, invalidated_at)
  SELECT t, v_version, now() FROM unnest(v_tags) t ORDER BY t
  ON CONFLICT (tag) DO UPDATE SET version = EXCLUDED.version, invalidated_at = EXCLUDED.invalidated_at
  WHERE v.version < EXCLUDED.version;
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
