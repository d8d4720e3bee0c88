-- Claiming work from the three queues of the platform (message_queue,
-- whatsapp_message_queue, background_jobs), with retries and dead-lettering.
--
-- Every claim selects with FOR UPDATE SKIP LOCKED: concurrent workers each get
-- different rows and never wait for one another. A claim holds a lease
-- (lock_expires_at, or the job's timeout); a message whose worker died is
-- claimable again once its lease has run out. A failure schedules a retry with
-- exponential back-off (2^retries seconds, capped at one hour) until the
-- retries are used up; then the message goes to 'dead_letter' (jobs: 'failed').
--
-- Functions: claim_messages, complete_message, fail_message,
--            claim_whatsapp_messages, complete_whatsapp_message, fail_whatsapp_message,
--            claim_jobs, fail_job, expire_timed_out_jobs, retry_backoff.

CREATE FUNCTION retry_backoff(p_retries integer) RETURNS interval
LANGUAGE sql IMMUTABLE
AS $$
  SELECT make_interval(secs => least(power(2, least(greatest(p_retries, 0), 12)), 3600))
$$;

CREATE FUNCTION claim_messages(
  p_queue_name text,
  p_worker_id text,
  p_batch_size integer DEFAULT 1,
  p_lease_seconds integer DEFAULT 300
) RETURNS SETOF message_queue
LANGUAGE sql
AS $$
  UPDATE message_queue m
  SET status = 'processing', claimed_by = p_worker_id, claimed_at = now(),
      lock_expires_at = now() + make_interval(secs => p_lease_seconds)
  WHERE m.id IN (
    SELECT id FROM message_queue
    WHERE queue_name = p_queue_name
      AND ((status = 'pending' AND scheduled_at <= now())
        OR (status = 'processing' AND lock_expires_at < now()))
    ORDER BY priority, scheduled_at, created_at
    LIMIT greatest(p_batch_size, 0)
    FOR UPDATE SKIP LOCKED
  )
  RETURNING m.*
$$;

-- Completes a message the worker still holds. False when the lease was lost.
CREATE FUNCTION complete_message(p_message_id uuid, p_worker_id text) RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE message_queue
  SET status = 'completed', processed_at = now(), lock_expires_at = NULL, last_error = NULL
  WHERE id = p_message_id AND status = 'processing' AND claimed_by = p_worker_id;
  RETURN FOUND;
END
$$;

-- Records a failed attempt. Returns the message's new status: 'pending' (a
-- retry is scheduled), 'dead_letter' (no retries left), or NULL when the worker
-- no longer holds the message.
CREATE FUNCTION fail_message(p_message_id uuid, p_worker_id text, p_error text) RETURNS text
LANGUAGE sql
AS $$
  UPDATE message_queue
  SET retry_count = retry_count + 1,
      status = CASE WHEN retry_count + 1 > max_retries THEN 'dead_letter' ELSE 'pending' END,
      scheduled_at = CASE WHEN retry_count + 1 > max_retries THEN scheduled_at
                          ELSE now() + retry_backoff(retry_count) END,
      last_error = p_error, lock_expires_at = NULL, claimed_by = NULL
  WHERE id = p_message_id AND status = 'processing' AND claimed_by = p_worker_id
  RETURNING status
$$;

CREATE FUNCTION claim_whatsapp_messages(
  p_worker_id text,
  p_batch_size integer DEFAULT 10,
  p_lease_seconds integer DEFAULT 120
) RETURNS SETOF whatsapp_message_queue
LANGUAGE sql
AS $$
  UPDATE whatsapp_message_queue m
  SET status = 'processing', claimed_by = p_worker_id, claimed_at = now(),
      lock_expires_at = now() + make_interval(secs => p_lease_seconds)
  WHERE m.id IN (
    SELECT id FROM whatsapp_message_queue
    WHERE (status = 'pending' AND scheduled_at <= now())
       OR (status = 'processing' AND lock_expires_at < now())
    ORDER BY priority, scheduled_at, created_at
    LIMIT greatest(p_batch_size, 0)
    FOR UPDATE SKIP LOCKED
  )
  RETURNING m.*
$$;

CREATE FUNCTION complete_whatsapp_message(
  p_message_id uuid,
  p_worker_id text,
  p_external_message_id text DEFAULT NULL
) RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE whatsapp_message_queue
  SET status = 'sent', sent_at = now(), external_message_id = p_external_message_id,
      lock_expires_at = NULL, last_error = NULL
  WHERE id = p_message_id AND status = 'processing' AND claimed_by = p_worker_id;
  RETURN FOUND;
END
$$;

CREATE FUNCTION fail_whatsapp_message(p_message_id uuid, p_worker_id text, p_error text) RETURNS text
LANGUAGE sql
AS $$
  UPDATE whatsapp_message_queue
  SET retry_count = retry_count + 1,
      status = CASE WHEN retry_count + 1 > max_retries THEN 'dead_letter' ELSE 'pending' END,
      scheduled_at = CASE WHEN retry_count + 1 > max_retries THEN scheduled_at
                          ELSE now() + retry_backoff(retry_count) END,
      last_error = p_error, lock_expires_at = NULL, claimed_by = NULL
  WHERE id = p_message_id AND status = 'processing' AND claimed_by = p_worker_id
  RETURNING status
$$;

-- Claims due jobs, optionally only of the given types; each claim is an attempt.
CREATE FUNCTION claim_jobs(
  p_worker_id text,
  p_job_types text[] DEFAULT NULL,
  p_batch_size integer DEFAULT 1
) RETURNS SETOF background_jobs
LANGUAGE sql
AS $$
  UPDATE background_jobs j
  SET status = 'running', worker_id = p_worker_id, started_at = now(), completed_at = NULL,
      attempts = attempts + 1
  WHERE j.id IN (
    SELECT id FROM background_jobs
    WHERE status = 'pending' AND scheduled_at <= now()
      AND (p_job_types IS NULL OR job_type = ANY (p_job_types))
    ORDER BY priority, scheduled_at, created_at
    LIMIT greatest(p_batch_size, 0)
    FOR UPDATE SKIP LOCKED
  )
  RETURNING j.*
$$;

-- Records a failed attempt: back to 'pending' with back-off while attempts
-- remain, else 'failed' for good. Returns the new status, or NULL when the job
-- is not running under this worker.
CREATE FUNCTION fail_job(p_job_id uuid, p_worker_id text, p_error text) RETURNS text
LANGUAGE sql
AS $$
  UPDATE background_jobs
  SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
      scheduled_at = CASE WHEN attempts >= max_attempts THEN scheduled_at
                          ELSE now() + retry_backoff(attempts - 1) END,
      completed_at = CASE WHEN attempts >= max_attempts THEN now() END,
      last_error = p_error
  WHERE id = p_job_id AND status = 'running' AND worker_id = p_worker_id
  RETURNING status
$$;

-- Running jobs past their timeout: retried while attempts remain, otherwise
-- marked 'timeout'. Returns how many it touched. Run it from a periodic job.
CREATE FUNCTION expire_timed_out_jobs() RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  v_count integer;
BEGIN
  UPDATE background_jobs
  SET status = CASE WHEN attempts >= max_attempts THEN 'timeout' ELSE 'pending' END,
      scheduled_at = CASE WHEN attempts >= max_attempts THEN scheduled_at
                          ELSE now() + retry_backoff(attempts - 1) END,
      completed_at = CASE WHEN attempts >= max_attempts THEN now() END,
      last_error = 'timed out after ' || timeout_seconds || ' s'
  WHERE id IN (SELECT id FROM background_jobs
               WHERE status = 'running' AND started_at + make_interval(secs => timeout_seconds) < now()
               FOR UPDATE SKIP LOCKED);
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$;
