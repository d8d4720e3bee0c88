-- Seed 002, file 5: event store and message queue.
-- Tables: event_store (range-partitioned by month on created_at), message_queue,
--         background_jobs, and event_streams (added, see below).
-- Functions: append_event, get_aggregate_events, enqueue_message, schedule_job,
--            complete_job.
-- Views: event_store_stats, message_queue_stats, background_job_stats.
--
-- Why event_streams: per-aggregate version numbers must be gap-free and unique,
-- but a unique index on the partitioned event_store would have to include
-- created_at. event_streams keeps each aggregate's current version; append_event
-- bumps it with one upsert, which row-locks the stream, so concurrent appends to
-- one aggregate get consecutive versions and appends to different aggregates
-- never wait for each other.
--
-- Queue priority runs 1 (most urgent) to 10 (least), default 5. Claiming,
-- retries and dead-lettering are in 20260401160000_queue_claims.sql.

CREATE TABLE event_streams (
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  current_version bigint NOT NULL CHECK (current_version >= 1),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (aggregate_type, aggregate_id)
);

CREATE TABLE event_store (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  aggregate_type text NOT NULL CHECK (length(aggregate_type) BETWEEN 1 AND 100),
  aggregate_id text NOT NULL CHECK (length(aggregate_id) BETWEEN 1 AND 200),
  event_type text NOT NULL CHECK (length(event_type) BETWEEN 1 AND 200),
  version bigint NOT NULL CHECK (version >= 1),
  schema_version integer NOT NULL DEFAULT 1,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  correlation_id text,
  causation_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_event_store_aggregate ON event_store (aggregate_type, aggregate_id, version);
CREATE INDEX idx_event_store_type_time ON event_store (event_type, created_at DESC);
CREATE INDEX idx_event_store_correlation ON event_store (correlation_id) WHERE correlation_id IS NOT NULL;

CREATE TABLE message_queue (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  queue_name text NOT NULL DEFAULT 'default' CHECK (length(queue_name) BETWEEN 1 AND 200),
  message_type text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  priority smallint NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'dead_letter')),
  retry_count integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
  max_retries integer NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
  scheduled_at timestamptz NOT NULL DEFAULT now(),
  claimed_by text,
  claimed_at timestamptz,
  lock_expires_at timestamptz,
  processed_at timestamptz,
  last_error text,
  idempotency_key text,
  correlation_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (queue_name, idempotency_key)
);
CREATE INDEX idx_message_queue_claim ON message_queue (queue_name, priority, scheduled_at) WHERE status = 'pending';
CREATE INDEX idx_message_queue_stuck ON message_queue (lock_expires_at) WHERE status = 'processing';
CREATE INDEX idx_message_queue_dead ON message_queue (queue_name, updated_at DESC) WHERE status = 'dead_letter';
CREATE TRIGGER trg_message_queue_updated_at BEFORE UPDATE ON message_queue
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE background_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_type text NOT NULL CHECK (length(job_type) BETWEEN 1 AND 200),
  job_name text,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'timeout')),
  priority smallint NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
  scheduled_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  timeout_seconds integer NOT NULL DEFAULT 300 CHECK (timeout_seconds > 0),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  worker_id text,
  result jsonb,
  last_error text,
  idempotency_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (job_type, idempotency_key)
);
CREATE INDEX idx_background_jobs_claim ON background_jobs (priority, scheduled_at) WHERE status = 'pending';
CREATE INDEX idx_background_jobs_running ON background_jobs (started_at) WHERE status = 'running';
CREATE INDEX idx_background_jobs_type_status ON background_jobs (job_type, status);
CREATE TRIGGER trg_background_jobs_updated_at BEFORE UPDATE ON background_jobs
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE event_streams ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_store ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE background_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON event_streams FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_role_full_access ON event_store FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_role_full_access ON message_queue FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_role_full_access ON background_jobs FOR ALL TO service_role USING (true) WITH CHECK (true);

SELECT create_monthly_partitions('event_store', 3);

-- Appends an event to an aggregate's stream and returns the event id. With
-- p_expected_version (optimistic concurrency) the append fails unless the
-- stream is at exactly that version (0 for a new stream).
CREATE FUNCTION append_event(
  p_aggregate_id text,
  p_aggregate_type text,
  p_event_type text,
  p_payload jsonb DEFAULT '{}'::jsonb,
  p_correlation_id text DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}'::jsonb,
  p_causation_id text DEFAULT NULL,
  p_expected_version bigint DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_version bigint;
  v_id uuid;
BEGIN
  INSERT INTO event_streams AS s (aggregate_type, aggregate_id, current_version)
  VALUES (p_aggregate_type, p_aggregate_id, 1)
  ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE
    SET current_version = s.current_version + 1, updated_at = now()
  RETURNING current_version INTO v_version;

  IF p_expected_version IS NOT NULL AND v_version - 1 <> p_expected_version THEN
    RAISE EXCEPTION 'aggregate %/% is at version %, expected %',
      p_aggregate_type, p_aggregate_id, v_version - 1, p_expected_version
      USING ERRCODE = 'serialization_failure';
  END IF;

  INSERT INTO event_store (aggregate_type, aggregate_id, event_type, version, payload, metadata,
                           correlation_id, causation_id)
  VALUES (p_aggregate_type, p_aggregate_id, p_event_type, v_version, coalesce(p_payload, '{}'::jsonb),
          coalesce(p_metadata, '{}'::jsonb), p_correlation_id, p_causation_id)
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;

-- An aggregate's events in version order, from p_after_version (exclusive) on,
-- at most p_limit of them: replaying them rebuilds the aggregate's state.
CREATE FUNCTION get_aggregate_events(
  p_aggregate_type text,
  p_aggregate_id text,
  p_limit integer DEFAULT 1000,
  p_after_version bigint DEFAULT 0
) RETURNS SETOF event_store
LANGUAGE sql STABLE
AS $$
  SELECT * FROM event_store
  WHERE aggregate_type = p_aggregate_type AND aggregate_id = p_aggregate_id AND version > p_after_version
  ORDER BY version
  LIMIT greatest(p_limit, 0)
$$;

-- Enqueues a message and returns its id; a repeated idempotency key in the same
-- queue returns the first message's id.
CREATE FUNCTION enqueue_message(
  p_queue_name text,
  p_message_type text,
  p_payload jsonb,
  p_priority integer DEFAULT 5,
  p_scheduled_at timestamptz DEFAULT now(),
  p_idempotency_key text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_id uuid;
BEGIN
  INSERT INTO message_queue (queue_name, message_type, payload, priority, scheduled_at, idempotency_key)
  VALUES (p_queue_name, p_message_type, coalesce(p_payload, '{}'::jsonb), p_priority,
          coalesce(p_scheduled_at, now()), p_idempotency_key)
  ON CONFLICT (queue_name, idempotency_key) DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    SELECT id INTO v_id FROM message_queue
    WHERE queue_name = p_queue_name AND idempotency_key = p_idempotency_key;
  END IF;
  RETURN v_id;
END
$$;

-- Schedules a job and returns its id; a repeated idempotency key for the same
-- job type returns the first job's id.
CREATE FUNCTION schedule_job(
  p_job_type text,
  p_job_name text DEFAULT NULL,
  p_payload jsonb DEFAULT '{}'::jsonb,
  p_scheduled_at timestamptz DEFAULT now(),
  p_priority integer DEFAULT 5,
  p_idempotency_key text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_id uuid;
BEGIN
  INSERT INTO background_jobs (job_type, job_name, payload, scheduled_at, priority, idempotency_key)
  VALUES (p_job_type, p_job_name, coalesce(p_payload, '{}'::jsonb), coalesce(p_scheduled_at, now()),
          p_priority, p_idempotency_key)
  ON CONFLICT (job_type, idempotency_key) DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    SELECT id INTO v_id FROM background_jobs
    WHERE job_type = p_job_type AND idempotency_key = p_idempotency_key;
  END IF;
  RETURN v_id;
END
$$;

-- Marks a running job completed with its result. Returns false when the job is
-- not running (already completed, timed out, cancelled or unknown), so a late
-- worker cannot overwrite the outcome of a retry.
CREATE FUNCTION complete_job(p_job_id uuid, p_result jsonb DEFAULT '{}'::jsonb) RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE background_jobs
  SET status = 'completed', result = p_result, completed_at = now(), last_error = NULL
  WHERE id = p_job_id AND status = 'running';
  RETURN FOUND;
END
$$;

CREATE VIEW event_store_stats WITH (security_invoker = true) AS
SELECT aggregate_type,
       event_type,
       count(*) AS event_count,
       count(DISTINCT aggregate_id) AS aggregate_count,
       min(created_at) AS first_event_at,
       max(created_at) AS last_event_at
FROM event_store
GROUP BY aggregate_type, event_type;

CREATE VIEW message_queue_stats WITH (security_invoker = true) AS
SELECT queue_name,
       status,
       count(*) AS message_count,
       avg(retry_count)::double precision AS avg_retry_count,
       min(scheduled_at) FILTER (WHERE status = 'pending') AS oldest_pending_at,
       extract(epoch FROM now() - min(scheduled_at) FILTER (WHERE status = 'pending'))::double precision
         AS oldest_pending_age_seconds
FROM message_queue
GROUP BY queue_name, status;

CREATE VIEW background_job_stats WITH (security_invoker = true) AS
SELECT job_type,
       status,
       count(*) AS job_count,
       avg(extract(epoch FROM completed_at - started_at))::double precision AS avg_duration_seconds,
       max(extract(epoch FROM completed_at - started_at))::double precision AS max_duration_seconds,
       avg(attempts)::double precision AS avg_attempts
FROM background_jobs
GROUP BY job_type, status;
