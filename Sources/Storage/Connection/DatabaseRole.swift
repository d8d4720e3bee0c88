public import PostgresNIO

/// What the service's database role may do, checked at start.
public enum DatabaseRole {
    /// True when row-level security does not apply to the pool's role: a
    /// superuser, a role with BYPASSRLS, or the owner of `locations` (owners
    /// bypass their tables' policies unless forced).
    public static func bypassesRowLevelSecurity(_ client: PostgresClient) async throws -> Bool {
        let rows = try await client.query("""
            SELECT r.rolsuper OR r.rolbypassrls
                   OR coalesce(pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass('public.locations')), 'USAGE'), false)
            FROM pg_roles r WHERE r.rolname = current_user
            """)
        for try await bypasses in rows.decode(Bool.self) { return bypasses }
        return false
    }
}
