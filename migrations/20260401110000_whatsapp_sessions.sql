-- Seed 002, file 2: WhatsApp session management.
-- Tables: whatsapp_sessions, whatsapp_message_queue.
-- Functions: update_whatsapp_session_activity, cleanup_expired_whatsapp_sessions,
--            enqueue_whatsapp_message.
-- Views: whatsapp_session_stats, whatsapp_queue_stats.
--
-- Priority runs 1 (most urgent) to 10 (least), default 5. Claiming, retries and
-- dead-lettering are in 20260401160000_queue_claims.sql.

CREATE TABLE whatsapp_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- E.164: a plus and up to 15 digits.
  phone_number text NOT NULL UNIQUE CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  user_id uuid,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'suspended', 'expired')),
  webhook_url text CHECK (webhook_url IS NULL OR webhook_url ~ '^https?://'),
  message_count bigint NOT NULL DEFAULT 0 CHECK (message_count >= 0),
  error_count integer NOT NULL DEFAULT 0 CHECK (error_count >= 0),
  last_error text,
  last_activity_at timestamptz NOT NULL DEFAULT now(),
  last_heartbeat_at timestamptz,
  expires_at timestamptz NOT NULL DEFAULT now() + interval '24 hours',
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_whatsapp_sessions_status ON whatsapp_sessions (status) WHERE status = 'active';
CREATE INDEX idx_whatsapp_sessions_expires ON whatsapp_sessions (expires_at) WHERE status IN ('active', 'inactive');
CREATE INDEX idx_whatsapp_sessions_user ON whatsapp_sessions (user_id) WHERE user_id IS NOT NULL;
CREATE TRIGGER trg_whatsapp_sessions_updated_at BEFORE UPDATE ON whatsapp_sessions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE whatsapp_message_queue (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid REFERENCES whatsapp_sessions (id) ON DELETE SET NULL,
  recipient_phone text NOT NULL CHECK (recipient_phone ~ '^\+[1-9][0-9]{6,14}$'),
  message_type text NOT NULL CHECK (message_type IN ('text', 'template', 'media', 'interactive', 'location')),
  payload jsonb NOT NULL,
  priority smallint NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'sent', 'delivered', 'failed', 'dead_letter', 'cancelled')),
  retry_count integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
  max_retries integer NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
  scheduled_at timestamptz NOT NULL DEFAULT now(),
  claimed_by text,
  claimed_at timestamptz,
  lock_expires_at timestamptz,
  sent_at timestamptz,
  external_message_id text,
  last_error text,
  correlation_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The claim query's access path: pending messages due now, most urgent first.
CREATE INDEX idx_whatsapp_queue_claim ON whatsapp_message_queue (priority, scheduled_at)
  WHERE status = 'pending';
CREATE INDEX idx_whatsapp_queue_stuck ON whatsapp_message_queue (lock_expires_at)
  WHERE status = 'processing';
CREATE INDEX idx_whatsapp_queue_correlation ON whatsapp_message_queue (correlation_id)
  WHERE correlation_id IS NOT NULL;
CREATE INDEX idx_whatsapp_queue_recipient ON whatsapp_message_queue (recipient_phone, created_at DESC);
CREATE TRIGGER trg_whatsapp_queue_updated_at BEFORE UPDATE ON whatsapp_message_queue
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE whatsapp_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_message_queue ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON whatsapp_sessions FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY users_read_own ON whatsapp_sessions FOR SELECT TO authenticated USING (auth.uid() = user_id);
CREATE POLICY service_role_full_access ON whatsapp_message_queue FOR ALL TO service_role USING (true) WITH CHECK (true);

-- Records activity on a phone number's session, opening the session if there is
-- none, reviving it if it had expired, and sliding its expiry 24 hours ahead.
-- Returns the session id.
CREATE FUNCTION update_whatsapp_session_activity(
  p_phone_number text,
  p_increment_message_count boolean DEFAULT true
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_id uuid;
BEGIN
  INSERT INTO whatsapp_sessions AS s (phone_number, message_count)
  VALUES (p_phone_number, CASE WHEN p_increment_message_count THEN 1 ELSE 0 END)
  ON CONFLICT (phone_number) DO UPDATE
    SET message_count = s.message_count + CASE WHEN p_increment_message_count THEN 1 ELSE 0 END,
        last_activity_at = now(),
        expires_at = now() + interval '24 hours',
        -- A suspended session stays suspended: activity does not lift a suspension.
        status = CASE WHEN s.status = 'suspended' THEN 'suspended' ELSE 'active' END
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;

-- Marks sessions past their expiry as expired (rows are kept: the queue
-- references them). Returns how many it expired.
CREATE FUNCTION cleanup_expired_whatsapp_sessions() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_count integer;
BEGIN
  UPDATE whatsapp_sessions
  SET status = 'expired'
  WHERE status IN ('active', 'inactive') AND expires_at < now();
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$;

CREATE FUNCTION enqueue_whatsapp_message(
  p_recipient_phone text,
  p_message_type text,
  p_payload jsonb,
  p_priority integer DEFAULT 5,
  p_correlation_id text DEFAULT NULL,
  p_scheduled_at timestamptz DEFAULT now()
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_id uuid;
BEGIN
  IF p_payload IS NULL THEN
    RAISE EXCEPTION 'payload is required' USING ERRCODE = 'not_null_violation';
  END IF;
  INSERT INTO whatsapp_message_queue (session_id, recipient_phone, message_type, payload, priority,
                                      correlation_id, scheduled_at)
  VALUES ((SELECT id FROM whatsapp_sessions WHERE phone_number = p_recipient_phone),
          p_recipient_phone, p_message_type, p_payload, p_priority,
          p_correlation_id, coalesce(p_scheduled_at, now()))
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;

CREATE VIEW whatsapp_session_stats WITH (security_invoker = true) AS
SELECT status,
       count(*) AS session_count,
       coalesce(sum(message_count), 0) AS total_messages,
       coalesce(sum(error_count), 0) AS total_errors,
       avg(message_count)::double precision AS avg_messages_per_session,
       max(last_activity_at) AS last_activity_at
FROM whatsapp_sessions
GROUP BY status;

CREATE VIEW whatsapp_queue_stats WITH (security_invoker = true) AS
SELECT status,
       count(*) AS message_count,
       count(*) FILTER (WHERE priority <= 3) AS urgent_count,
       avg(retry_count)::double precision AS avg_retry_count,
       min(scheduled_at) AS oldest_scheduled_at,
       max(updated_at) AS last_updated_at
FROM whatsapp_message_queue
GROUP BY status;
