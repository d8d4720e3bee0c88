-- Geofences and their events (issue 31, part 3).
--
-- A fence belongs to a tenant (a service_role token's `tenant` claim; '' is
-- the default tenant) and is named by the client (`PUT /v1/geofences/{id}`);
-- `key` is its number inside Wayline. `definition` is the fence as the
-- service parsed it (area, detect, location type, filters), from which every
-- instance rebuilds its in-memory index; `area` is that area in PostGIS, for
-- the GiST index: polygons as sent, split at ±180° (ST_WrapX), a circle as
-- the box that holds it. Every change notifies `wayline_geofences` with the
-- fence's key, and each instance reloads that fence.
--
-- Each position write is tested against the fences in memory; the fences
-- that hold it (and pass their type and attribute filters) are kept in
-- `locations.geofences`, the previous set in `geofences_before`, and the
-- difference becomes events in event_store (aggregate 'geofence', one
-- stream per fence) and, for fences with a webhook, messages in
-- message_queue, in the same transaction as the position
-- (Sources/Storage/Geofences/GeofenceEvents.swift).

CREATE TABLE geofences (
  key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant text NOT NULL DEFAULT '',
  id text NOT NULL CHECK (id ~ '^[A-Za-z0-9_.:-]{1,128}$'),
  definition jsonb NOT NULL,
  area geometry(MultiPolygon, 4326) NOT NULL,
  webhook_url text,
  webhook_secret text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant, id),
  CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL))
);
CREATE INDEX idx_geofences_area ON geofences USING gist (area);
CREATE TRIGGER trg_geofences_updated_at BEFORE UPDATE ON geofences
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE FUNCTION notify_geofence_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM pg_notify('wayline_geofences', (CASE WHEN TG_OP = 'DELETE' THEN OLD.key ELSE NEW.key END)::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_geofences_notify AFTER INSERT OR UPDATE OR DELETE ON geofences
  FOR EACH ROW EXECUTE FUNCTION notify_geofence_change();

ALTER TABLE geofences ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON geofences FOR ALL TO service_role USING (true) WITH CHECK (true);
GRANT ALL ON geofences TO service_role;

-- NULL when empty, which takes no room in a row (an empty array takes 16
-- bytes, on every version of every driver's row); adding them rewrites nothing.
ALTER TABLE locations ADD COLUMN geofences bigint[], ADD COLUMN geofences_before bigint[];

-- The pull endpoint's order: by the writing transaction, then by the event's
-- place in it. A consumer is served only events of transactions older than
-- every transaction still running (pg_snapshot_xmin), so no event can later
-- commit behind its cursor.
CREATE INDEX idx_event_store_geofence_feed ON event_store
  ((metadata->>'tenant'), ((metadata->>'xid')::bigint), ((metadata->>'n')::bigint))
  WHERE aggregate_type = 'geofence';

-- REVOKE: fences hold their webhooks' secrets; only the service reads them.
REVOKE ALL ON geofences FROM authenticated;

-- Webhook messages wait for the ones before them of the same fence, user
-- and type (correlation_id, the event stream), so each receiver gets a
-- driver's crossings of a fence in order: a message is claimable only when
-- no earlier one of its stream is pending or being delivered. Claims skip
-- rows other workers hold (FOR UPDATE SKIP LOCKED), so any number of
-- instances deliver side by side. Due messages are read in the claim
-- index's order and the first claimable ones taken, so the work of a claim
-- does not grow with the queue's backlog. Each comes with its fence's
-- webhook; the messages of a fence that is deleted or loses its webhook are
-- dead-lettered then (Sources/Storage/Geofences/GeofenceRepository.swift).
CREATE INDEX idx_message_queue_ordering ON message_queue (queue_name, correlation_id)
  WHERE status IN ('pending', 'processing');

CREATE FUNCTION geofence_message_is_next(p_correlation_id text, p_version bigint) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT NOT EXISTS (
    SELECT 1 FROM message_queue p
    WHERE p.queue_name = 'geofence_webhooks' AND p.correlation_id = p_correlation_id
      AND p.status IN ('pending', 'processing') AND (p.payload->>'version')::bigint < p_version)
$$;

CREATE FUNCTION claim_geofence_webhooks(p_worker_id text, p_batch_size integer, p_lease_seconds integer)
RETURNS TABLE (id uuid, payload jsonb, webhook_url text, webhook_secret text)
LANGUAGE sql
AS $$
  UPDATE message_queue m
  SET status = 'processing', claimed_by = p_worker_id, claimed_at = now(),
      lock_expires_at = now() + make_interval(secs => p_lease_seconds)
  FROM geofences g
  WHERE m.id IN (
      SELECT c.id FROM message_queue c
      WHERE c.id IN (
          (SELECT q.id FROM message_queue q
           WHERE q.queue_name = 'geofence_webhooks' AND q.status = 'pending' AND q.scheduled_at <= now()
             AND geofence_message_is_next(q.correlation_id, (q.payload->>'version')::bigint)
           ORDER BY q.priority, q.scheduled_at LIMIT greatest(p_batch_size, 0))
          UNION ALL
          (SELECT q.id FROM message_queue q
           WHERE q.status = 'processing' AND q.lock_expires_at < now() AND q.queue_name = 'geofence_webhooks'
             AND geofence_message_is_next(q.correlation_id, (q.payload->>'version')::bigint)
           LIMIT greatest(p_batch_size, 0)))
        AND ((c.status = 'pending' AND c.scheduled_at <= now()) OR (c.status = 'processing' AND c.lock_expires_at < now()))
      ORDER BY c.scheduled_at
      LIMIT greatest(p_batch_size, 0)
      FOR UPDATE SKIP LOCKED)
    AND g.key = (m.payload->>'fence_key')::bigint AND g.webhook_url IS NOT NULL
  RETURNING m.id, m.payload - 'fence_key' - 'version', g.webhook_url, g.webhook_secret
$$;

-- Completes the messages a worker delivered, in one statement.
CREATE FUNCTION complete_messages(p_message_ids uuid[], p_worker_id text) RETURNS integer
LANGUAGE sql
AS $$
  WITH done AS (
    UPDATE message_queue
    SET status = 'completed', processed_at = now(), lock_expires_at = NULL, last_error = NULL
    WHERE id = ANY (p_message_ids) AND status = 'processing' AND claimed_by = p_worker_id
    RETURNING 1)
  SELECT count(*)::integer FROM done
$$;
