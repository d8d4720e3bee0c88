-- The role the service serves requests as, and the cache's tenants.
--
-- wayline_service is a member of service_role (its table rights and the
-- "service role full access" policies) and of authenticated (so that a read
-- made for a user can SET LOCAL ROLE authenticated and be filtered by the
-- "users read their own rows" policies). It is neither superuser nor owner,
-- so row-level security applies to it. Migrations keep running as the
-- owner. The embedded cluster creates it as a LOGIN role; on another server
-- it is created here without LOGIN: give it a password and LOGIN, or grant
-- service_role to a login role of your own, and serve with that.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wayline_service') THEN
    CREATE ROLE wayline_service NOLOGIN;
  END IF;
  GRANT service_role, authenticated TO wayline_service;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'no right to create or grant roles: grant service_role and authenticated to the serving role by hand';
END
$$;

-- Cache tenants: stored keys and types carry a tenant prefix of up to 64
-- bytes and a separator (see Sources/Cache/CacheTenant.swift), so the column
-- limits grow by 65 beyond what the API accepts from a client.
ALTER TABLE cache_entries DROP CONSTRAINT cache_entries_key_check;
ALTER TABLE cache_entries ADD CONSTRAINT cache_entries_key_check CHECK (octet_length(key) BETWEEN 1 AND 577);
ALTER TABLE cache_entries DROP CONSTRAINT cache_entries_cache_type_check;
ALTER TABLE cache_entries ADD CONSTRAINT cache_entries_cache_type_check CHECK (length(cache_type) BETWEEN 1 AND 165);
