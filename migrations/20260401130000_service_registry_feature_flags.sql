-- Seed 002, file 4: service registry and feature flags.
-- Tables: service_registry, feature_flags, feature_flag_evaluations.
-- Functions: register_service, service_heartbeat, is_feature_enabled; added:
--            feature_flag_bucket (the consistent hash behind percentage rollouts).
-- Views: service_health_overview, feature_flag_overview.

CREATE TABLE service_registry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_name text NOT NULL UNIQUE CHECK (length(service_name) BETWEEN 1 AND 200),
  service_type text NOT NULL,
  version text NOT NULL,
  endpoint text,
  health_check_url text,
  status text NOT NULL DEFAULT 'starting'
    CHECK (status IN ('healthy', 'unhealthy', 'starting', 'stopping', 'stopped')),
  capabilities jsonb NOT NULL DEFAULT '[]'::jsonb,
  dependencies jsonb NOT NULL DEFAULT '[]'::jsonb,
  metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_heartbeat_at timestamptz,
  registered_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_service_registry_status ON service_registry (status, last_heartbeat_at DESC);
CREATE INDEX idx_service_registry_type ON service_registry (service_type);
CREATE TRIGGER trg_service_registry_updated_at BEFORE UPDATE ON service_registry
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE feature_flags (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_.:-]{0,199}$'),
  name text NOT NULL,
  description text,
  enabled boolean NOT NULL DEFAULT false,
  rollout_strategy text NOT NULL DEFAULT 'none'
    CHECK (rollout_strategy IN ('percentage', 'user_list', 'condition', 'all', 'none')),
  rollout_percentage integer NOT NULL DEFAULT 0 CHECK (rollout_percentage BETWEEN 0 AND 100),
  target_users uuid[] NOT NULL DEFAULT '{}',
  -- For rollout_strategy 'condition': every key present must hold.
  --   {"environments": ["staging"], "user_ids": ["<uuid>", ...], "percentage": 20,
  --    "attributes": {"country": "RW"}, "after": "2026-01-01T00:00:00Z", "before": "..."}
  -- attributes are matched against the p_context argument of is_feature_enabled.
  conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
  environment text NOT NULL DEFAULT 'all' CHECK (environment IN ('development', 'staging', 'production', 'all')),
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- One row per key and environment: a flag may be configured differently in
  -- staging and production; the 'all' row applies where no specific one exists.
  UNIQUE (key, environment)
);
CREATE INDEX idx_feature_flags_enabled ON feature_flags (key) WHERE enabled;
CREATE TRIGGER trg_feature_flags_updated_at BEFORE UPDATE ON feature_flags
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE feature_flag_evaluations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  flag_id uuid REFERENCES feature_flags (id) ON DELETE CASCADE,
  flag_key text NOT NULL,
  user_id uuid,
  environment text NOT NULL,
  result boolean NOT NULL,
  reason text NOT NULL,
  evaluated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_flag_evaluations_key_time ON feature_flag_evaluations (flag_key, evaluated_at DESC);
CREATE INDEX idx_flag_evaluations_user ON feature_flag_evaluations (user_id, evaluated_at DESC) WHERE user_id IS NOT NULL;

ALTER TABLE service_registry ENABLE ROW LEVEL SECURITY;
ALTER TABLE feature_flags ENABLE ROW LEVEL SECURITY;
ALTER TABLE feature_flag_evaluations ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON service_registry FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY authenticated_read ON service_registry FOR SELECT TO authenticated USING (true);
CREATE POLICY service_role_full_access ON feature_flags FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY authenticated_read ON feature_flags FOR SELECT TO authenticated USING (true);
CREATE POLICY service_role_full_access ON feature_flag_evaluations FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY users_read_own ON feature_flag_evaluations FOR SELECT TO authenticated USING (auth.uid() = user_id);

-- Registers a service or refreshes its registration (same name). Returns its id.
CREATE FUNCTION register_service(
  p_service_name text,
  p_service_type text,
  p_version text,
  p_endpoint text DEFAULT NULL,
  p_health_check_url text DEFAULT NULL,
  p_capabilities jsonb DEFAULT '[]'::jsonb
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_id uuid;
BEGIN
  INSERT INTO service_registry AS s (service_name, service_type, version, endpoint, health_check_url,
                                     capabilities, status, last_heartbeat_at)
  VALUES (p_service_name, p_service_type, p_version, p_endpoint, p_health_check_url,
          coalesce(p_capabilities, '[]'::jsonb), 'starting', now())
  ON CONFLICT (service_name) DO UPDATE
    SET service_type = EXCLUDED.service_type,
        version = EXCLUDED.version,
        endpoint = EXCLUDED.endpoint,
        health_check_url = EXCLUDED.health_check_url,
        capabilities = EXCLUDED.capabilities,
        status = 'starting',
        last_heartbeat_at = now()
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;

-- Records a heartbeat. Returns false when no service of that name is registered.
CREATE FUNCTION service_heartbeat(
  p_service_name text,
  p_status text DEFAULT 'healthy',
  p_metrics jsonb DEFAULT '{}'::jsonb
) RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE service_registry
  SET status = p_status,
      metrics = coalesce(p_metrics, '{}'::jsonb),
      last_heartbeat_at = now()
  WHERE service_name = p_service_name;
  RETURN FOUND;
END
$$;

-- A user's bucket in [0, 100) for a flag: the first 32 bits of
-- md5(flag key || ':' || user id). Deterministic across sessions, servers and
-- PostgreSQL versions (unlike hashtext), and salted by the flag key so that the
-- same users are not always the first to get every feature.
CREATE FUNCTION feature_flag_bucket(p_flag_key text, p_user_id uuid) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT
AS $$
  SELECT (('x' || substr(md5(p_flag_key || ':' || p_user_id::text), 1, 8))::bit(32)::bigint % 100)::integer
$$;

-- Evaluates a flag for a user in an environment and logs the evaluation.
-- The environment-specific row wins over the 'all' row. A missing or disabled
-- flag is off. Percentage rollouts need a user id (no id, no rollout).
CREATE FUNCTION is_feature_enabled(
  p_flag_key text,
  p_user_id uuid DEFAULT NULL,
  p_environment text DEFAULT 'production',
  p_context jsonb DEFAULT '{}'::jsonb
) RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
  v_flag feature_flags%ROWTYPE;
  v_result boolean;
  v_reason text;
  v_cond jsonb;
BEGIN
  SELECT * INTO v_flag FROM feature_flags
  WHERE key = p_flag_key AND environment IN (p_environment, 'all')
  ORDER BY (environment = 'all')
  LIMIT 1;

  IF NOT FOUND THEN
    v_result := false; v_reason := 'flag_not_found';
  ELSIF NOT v_flag.enabled THEN
    v_result := false; v_reason := 'disabled';
  ELSIF v_flag.rollout_strategy = 'all' THEN
    v_result := true; v_reason := 'strategy_all';
  ELSIF v_flag.rollout_strategy = 'none' THEN
    v_result := false; v_reason := 'strategy_none';
  ELSIF v_flag.rollout_strategy = 'user_list' THEN
    v_result := p_user_id IS NOT NULL AND p_user_id = ANY (v_flag.target_users);
    v_reason := CASE WHEN v_result THEN 'user_listed' ELSE 'user_not_listed' END;
  ELSIF v_flag.rollout_strategy = 'percentage' THEN
    v_result := p_user_id IS NOT NULL AND feature_flag_bucket(p_flag_key, p_user_id) < v_flag.rollout_percentage;
    v_reason := CASE WHEN p_user_id IS NULL THEN 'no_user_for_percentage'
                     WHEN v_result THEN 'in_rollout' ELSE 'outside_rollout' END;
  ELSE
    v_cond := v_flag.conditions;
    v_result :=
          (NOT v_cond ? 'environments' OR v_cond -> 'environments' ? p_environment)
      AND (NOT v_cond ? 'user_ids' OR (p_user_id IS NOT NULL AND v_cond -> 'user_ids' ? p_user_id::text))
      AND (NOT v_cond ? 'percentage' OR (p_user_id IS NOT NULL
                                         AND feature_flag_bucket(p_flag_key, p_user_id) < (v_cond ->> 'percentage')::integer))
      AND (NOT v_cond ? 'attributes' OR coalesce(p_context, '{}'::jsonb) @> (v_cond -> 'attributes'))
      AND (NOT v_cond ? 'after' OR now() >= (v_cond ->> 'after')::timestamptz)
      AND (NOT v_cond ? 'before' OR now() < (v_cond ->> 'before')::timestamptz);
    v_reason := CASE WHEN v_result THEN 'conditions_met' ELSE 'conditions_not_met' END;
  END IF;

  INSERT INTO feature_flag_evaluations (flag_id, flag_key, user_id, environment, result, reason)
  VALUES (v_flag.id, p_flag_key, p_user_id, p_environment, v_result, v_reason);
  RETURN v_result;
END
$$;

-- A heartbeat older than 60 seconds makes a service count as unhealthy,
-- whatever status it last reported.
CREATE VIEW service_health_overview WITH (security_invoker = true) AS
SELECT service_name,
       service_type,
       version,
       endpoint,
       status AS reported_status,
       CASE WHEN status IN ('stopping', 'stopped') THEN status
            WHEN last_heartbeat_at IS NULL OR last_heartbeat_at < now() - interval '60 seconds' THEN 'unhealthy'
            ELSE status END AS effective_status,
       last_heartbeat_at,
       extract(epoch FROM now() - last_heartbeat_at)::double precision AS seconds_since_heartbeat,
       capabilities,
       metrics
FROM service_registry;

CREATE VIEW feature_flag_overview WITH (security_invoker = true) AS
SELECT f.key,
       f.name,
       f.environment,
       f.enabled,
       f.rollout_strategy,
       f.rollout_percentage,
       cardinality(f.target_users) AS target_user_count,
       count(e.id) AS evaluations_24h,
       count(e.id) FILTER (WHERE e.result) AS enabled_evaluations_24h,
       f.updated_at
FROM feature_flags f
LEFT JOIN feature_flag_evaluations e ON e.flag_id = f.id AND e.evaluated_at >= now() - interval '24 hours'
GROUP BY f.id;
