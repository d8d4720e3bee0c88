-- Performance-monitoring tables from seed 000 (proposal 2), with its aggressive
-- retention: every row carries expires_at and cleanup_expired_performance_data()
-- removes what has expired.
-- Differences from the proposal: user_id has no foreign key (this platform has
-- no user_profiles table), and the cleanup deletes in batches and reports how
-- many rows it removed instead of returning void.

CREATE TABLE performance_metrics (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  metric_name text NOT NULL,
  metric_type text NOT NULL,
  metric_value numeric NOT NULL,
  table_name text,
  endpoint text,
  user_id uuid,
  session_id text,
  tags jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '30 days'
);
CREATE INDEX idx_perf_metrics_name ON performance_metrics (metric_name, recorded_at DESC);
CREATE INDEX idx_perf_metrics_expires ON performance_metrics (expires_at);

CREATE TABLE query_performance_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  query_hash text NOT NULL,
  query_signature text NOT NULL,
  execution_time_ms numeric NOT NULL,
  planning_time_ms numeric,
  rows_affected integer,
  rows_scanned integer,
  table_name text,
  slow_query boolean GENERATED ALWAYS AS (execution_time_ms > 1000) STORED,
  user_id uuid,
  endpoint text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '30 days'
);
CREATE INDEX idx_query_perf_hash ON query_performance_log (query_hash);
CREATE INDEX idx_query_perf_slow ON query_performance_log (slow_query, recorded_at DESC) WHERE slow_query;
CREATE INDEX idx_query_perf_expires ON query_performance_log (expires_at);

CREATE TABLE cache_performance_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cache_key text NOT NULL,
  operation text NOT NULL CHECK (operation IN ('HIT', 'MISS', 'SET', 'DELETE')),
  operation_time_ms numeric,
  cache_size_bytes integer,
  ttl_seconds integer,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '7 days'
);
CREATE INDEX idx_cache_perf_key ON cache_performance_log (cache_key, recorded_at DESC);
CREATE INDEX idx_cache_perf_expires ON cache_performance_log (expires_at);

ALTER TABLE performance_metrics ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_performance_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE cache_performance_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON performance_metrics FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_role_full_access ON query_performance_log FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_role_full_access ON cache_performance_log FOR ALL TO service_role USING (true) WITH CHECK (true);

CREATE FUNCTION cleanup_expired_performance_data(p_batch_size integer DEFAULT 10000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_total integer := 0;
  v_batch integer;
  v_table text;
BEGIN
  FOREACH v_table IN ARRAY ARRAY['performance_metrics', 'query_performance_log', 'cache_performance_log'] LOOP
    LOOP
      EXECUTE format('DELETE FROM %I WHERE id IN (SELECT id FROM %I WHERE expires_at < now() LIMIT %s FOR UPDATE SKIP LOCKED)',
                     v_table, v_table, greatest(p_batch_size, 1));
      GET DIAGNOSTICS v_batch = ROW_COUNT;
      v_total := v_total + v_batch;
      EXIT WHEN v_batch < greatest(p_batch_size, 1);
    END LOOP;
  END LOOP;
  RETURN v_total;
END
$$;
