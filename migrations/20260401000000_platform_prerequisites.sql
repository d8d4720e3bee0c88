-- Platform prerequisites: what the seed's six files assume from their original
-- (Supabase) host, made explicit so they run on plain PostgreSQL + PostGIS.
--
-- This file comes first, not after the seed files, because the seed's RLS
-- policies name the roles and call auth.uid(), and its partitioned tables are
-- given their first partitions by the helpers defined here.
--
-- Helper functions added here (the seed counts 24 but names 21; these are the
-- ones its design implies):
--   auth.uid()                      caller's user id from the session settings
--   set_updated_at()                trigger keeping updated_at current
--   copy_rls_policies(child, parent)  RLS on partitions, same policies as parent
--   create_monthly_partitions(parent, months_ahead, from)  monthly range partitions
--   ensure_all_partitions(months_ahead)  maintenance entry point for every partitioned table

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgrouting;

-- Roles as Supabase defines them. NOLOGIN: a connection authenticates as some
-- login role and then SET ROLE to one of these, as PostgREST does.
-- Roles are global to the cluster while migrations run per database, so two
-- databases may be migrated at once: a concurrent creation counts as success.
DO $$
DECLARE
  v_role text;
BEGIN
  FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', v_role);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END LOOP;
END
$$;

CREATE SCHEMA IF NOT EXISTS auth;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;

-- The caller's user id. Reads the settings PostgREST sets from a JWT
-- (request.jwt.claim.sub, or the sub of request.jwt.claims), then the
-- app.current_user_id convention. NULL when none is set or it is not a UUID,
-- so a policy comparing it with user_id simply matches nothing.
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_raw text;
BEGIN
  v_raw := coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub',
    nullif(current_setting('app.current_user_id', true), '')
  );
  RETURN v_raw::uuid;
EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
  RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION auth.uid() TO anon, authenticated, service_role;

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- Policies on a partitioned parent only apply to queries through the parent;
-- a query naming a partition directly would bypass them. So every partition
-- gets RLS and a copy of each of its parent's policies.
CREATE OR REPLACE FUNCTION copy_rls_policies(p_child regclass, p_parent regclass) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  v_policy record;
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_child);
  FOR v_policy IN
    SELECT p.polname,
           p.polpermissive,
           CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                         WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
           CASE WHEN p.polroles = '{0}' THEN 'PUBLIC'
                ELSE (SELECT string_agg(quote_ident(r.rolname), ', ')
                      FROM pg_roles r WHERE r.oid = ANY (p.polroles)) END AS roles,
           pg_get_expr(p.polqual, p.polrelid) AS using_expr,
           pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr
    FROM pg_policy p
    WHERE p.polrelid = p_parent
      AND NOT EXISTS (SELECT 1 FROM pg_policy c WHERE c.polrelid = p_child AND c.polname = p.polname)
  LOOP
    EXECUTE format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s',
      v_policy.polname, p_child,
      CASE WHEN v_policy.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
      v_policy.command, v_policy.roles,
      CASE WHEN v_policy.using_expr IS NULL THEN '' ELSE ' USING (' || v_policy.using_expr || ')' END,
      CASE WHEN v_policy.check_expr IS NULL THEN '' ELSE ' WITH CHECK (' || v_policy.check_expr || ')' END);
  END LOOP;
END
$$;

-- Creates the partitions for the month of p_from and the p_months_ahead months
-- after it, plus a DEFAULT partition so that no row is ever rejected for its
-- date. Rows that already sit in the default partition for a month being
-- created are moved into the new partition before it is attached, because
-- PostgreSQL refuses to attach a range the default partition still holds.
-- Partitions are named parent_YYYY_MM. Returns how many partitions it created.
CREATE OR REPLACE FUNCTION create_monthly_partitions(
  p_parent regclass,
  p_months_ahead integer DEFAULT 3,
  p_from date DEFAULT current_date
) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  v_parent_name text := (SELECT c.relname FROM pg_class c WHERE c.oid = p_parent);
  v_schema text := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_parent);
  v_key text;
  v_default text := v_parent_name || '_default';
  v_start date;
  v_end date;
  v_name text;
  v_created integer := 0;
BEGIN
  IF p_months_ahead < 0 OR p_months_ahead > 120 THEN
    RAISE EXCEPTION 'p_months_ahead must be between 0 and 120, got %', p_months_ahead
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT a.attname INTO v_key
  FROM pg_partitioned_table pt
  JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
  WHERE pt.partrelid = p_parent AND pt.partstrat = 'r';
  IF v_key IS NULL THEN
    RAISE EXCEPTION '% is not range-partitioned on a column', p_parent USING ERRCODE = 'invalid_parameter_value';
  END IF;

  IF to_regclass(format('%I.%I', v_schema, v_default)) IS NULL THEN
    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT', v_schema, v_default, p_parent);
    PERFORM copy_rls_policies(format('%I.%I', v_schema, v_default)::regclass, p_parent);
    v_created := v_created + 1;
  END IF;

  FOR i IN 0..p_months_ahead LOOP
    v_start := (date_trunc('month', p_from) + make_interval(months => i))::date;
    v_end := (v_start + interval '1 month')::date;
    v_name := format('%s_%s', v_parent_name, to_char(v_start, 'YYYY_MM'));
    CONTINUE WHEN to_regclass(format('%I.%I', v_schema, v_name)) IS NOT NULL;

    EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)',
                   v_schema, v_name, p_parent);
    EXECUTE format('WITH moved AS (DELETE FROM %I.%I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I.%I SELECT * FROM moved',
                   v_schema, v_default, v_key, v_start, v_key, v_end, v_schema, v_name);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   p_parent, v_schema, v_name, v_start, v_end);
    PERFORM copy_rls_policies(format('%I.%I', v_schema, v_name)::regclass, p_parent);
    v_created := v_created + 1;
  END LOOP;
  RETURN v_created;
END
$$;

-- The monthly maintenance job: next months' partitions for every
-- range-partitioned table in the public schema.
CREATE OR REPLACE FUNCTION ensure_all_partitions(p_months_ahead integer DEFAULT 3) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  v_parent regclass;
  v_total integer := 0;
BEGIN
  FOR v_parent IN
    SELECT pt.partrelid::regclass
    FROM pg_partitioned_table pt
    JOIN pg_class c ON c.oid = pt.partrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND pt.partstrat = 'r' AND NOT c.relispartition
  LOOP
    v_total := v_total + create_monthly_partitions(v_parent, p_months_ahead);
  END LOOP;
  RETURN v_total;
END
$$;
