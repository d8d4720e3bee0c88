-- Seed 002, file 1: system observability.
-- Tables: system_metrics, system_audit_logs (both range-partitioned by month on created_at).
-- Functions: record_metric, log_audit_event.
-- Views: recent_metrics_by_service.
--
-- Partitioned tables need the partition key in every unique constraint, so the
-- primary keys are (id, created_at); ids are random UUIDs and stay unique anyway.

CREATE TABLE system_metrics (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  service_name text NOT NULL CHECK (length(service_name) BETWEEN 1 AND 200),
  -- latency, error_rate, throughput, memory, cpu are the usual types; the seed's
  -- own smoke test records type 'test', so the column is open, not an enum.
  metric_type text NOT NULL CHECK (length(metric_type) BETWEEN 1 AND 100),
  metric_name text NOT NULL CHECK (length(metric_name) BETWEEN 1 AND 200),
  value double precision NOT NULL,
  unit text,
  tags jsonb NOT NULL DEFAULT '{}'::jsonb,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_system_metrics_service_time ON system_metrics (service_name, created_at DESC);
CREATE INDEX idx_system_metrics_type_time ON system_metrics (metric_type, created_at DESC);
CREATE INDEX idx_system_metrics_name_time ON system_metrics (metric_name, created_at DESC);
CREATE INDEX idx_system_metrics_tags ON system_metrics USING gin (tags);

CREATE TABLE system_audit_logs (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'service', 'system', 'admin')),
  actor_identifier text,
  action text NOT NULL CHECK (length(action) BETWEEN 1 AND 200),
  resource_type text,
  resource_id text,
  old_data jsonb,
  new_data jsonb,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  correlation_id text,
  ip_address inet,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_audit_logs_actor_time ON system_audit_logs (actor_type, actor_identifier, created_at DESC);
CREATE INDEX idx_audit_logs_resource_time ON system_audit_logs (resource_type, resource_id, created_at DESC);
CREATE INDEX idx_audit_logs_action_time ON system_audit_logs (action, created_at DESC);
CREATE INDEX idx_audit_logs_correlation ON system_audit_logs (correlation_id) WHERE correlation_id IS NOT NULL;

ALTER TABLE system_metrics ENABLE ROW LEVEL SECURITY;
ALTER TABLE system_audit_logs ENABLE ROW LEVEL SECURITY;

CREATE POLICY service_role_full_access ON system_metrics FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY authenticated_read ON system_metrics FOR SELECT TO authenticated USING (true);
CREATE POLICY service_role_full_access ON system_audit_logs FOR ALL TO service_role USING (true) WITH CHECK (true);
-- An audit trail names other people's actions: a user reads only the entries it is the actor of.
CREATE POLICY users_read_own ON system_audit_logs FOR SELECT TO authenticated
  USING (actor_type = 'user' AND actor_identifier = auth.uid()::text);

SELECT create_monthly_partitions('system_metrics', 3);
SELECT create_monthly_partitions('system_audit_logs', 3);

CREATE FUNCTION record_metric(
  p_service_name text,
  p_metric_type text,
  p_metric_name text,
  p_value double precision,
  p_unit text DEFAULT NULL,
  p_tags jsonb DEFAULT '{}'::jsonb
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_id uuid;
BEGIN
  IF p_value IS NULL OR p_value = 'NaN'::double precision OR p_value IN ('Infinity', '-Infinity') THEN
    RAISE EXCEPTION 'metric value must be a finite number' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO system_metrics (service_name, metric_type, metric_name, value, unit, tags)
  VALUES (p_service_name, p_metric_type, p_metric_name, p_value, p_unit, coalesce(p_tags, '{}'::jsonb))
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;

CREATE FUNCTION log_audit_event(
  p_actor_type text,
  p_actor_identifier text,
  p_action text,
  p_resource_type text DEFAULT NULL,
  p_resource_id text DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}'::jsonb,
  p_correlation_id text DEFAULT NULL,
  p_old_data jsonb DEFAULT NULL,
  p_new_data jsonb DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_id uuid;
BEGIN
  INSERT INTO system_audit_logs (actor_type, actor_identifier, action, resource_type, resource_id,
                                 metadata, correlation_id, old_data, new_data)
  VALUES (p_actor_type, p_actor_identifier, p_action, p_resource_type, p_resource_id,
          coalesce(p_metadata, '{}'::jsonb), p_correlation_id, p_old_data, p_new_data)
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;

-- Last hour per service and metric. security_invoker so that a caller's RLS
-- applies to the view as it does to the table.
CREATE VIEW recent_metrics_by_service WITH (security_invoker = true) AS
SELECT service_name,
       metric_type,
       metric_name,
       count(*) AS sample_count,
       avg(value) AS avg_value,
       min(value) AS min_value,
       max(value) AS max_value,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95_value,
       max(unit) AS unit,
       max(created_at) AS last_recorded_at
FROM system_metrics
WHERE created_at >= now() - interval '1 hour'
GROUP BY service_name, metric_type, metric_name;
