public import Foundation
public import Geometry
public import PostgresNIO

/// SQL for the `geofences` table. Fences are read and written by tenant and
/// id; the in-memory index reads them all, or one by its key.
public struct GeofenceRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    private static let columns = "key, tenant, id, definition::text, webhook_url, webhook_secret, created_at, updated_at"

    /// Creates or replaces the fence named by its tenant and id.
    /// - Parameter area: the fence's area as prepared (it gives the polygon the GiST index holds).
    /// - Returns: the stored fence, and whether it is new.
    public func put(_ fence: Geofence, area: PreparedFenceArea) async throws -> (StoredGeofence, created: Bool) {
        let definition = try GeofenceDefinition(fence).encoded()
        // Polygons unwrapped across ±180° come back inside [-180°, 180°], split there.
        let rows = try await client.query("""
            WITH stored AS (
            INSERT INTO geofences AS g (tenant, id, definition, area, webhook_url, webhook_secret)
            VALUES (\(fence.tenant), \(fence.id), \(definition)::jsonb,
                    ST_Multi(ST_CollectionExtract(ST_WrapX(ST_WrapX(ST_GeomFromText(\(area.wkt), 4326), 180, -360), -180, 360), 3)),
                    \(fence.webhook?.url), \(fence.webhook?.secret))
            ON CONFLICT (tenant, id) DO UPDATE SET
              definition = EXCLUDED.definition, area = EXCLUDED.area,
              webhook_url = EXCLUDED.webhook_url, webhook_secret = EXCLUDED.webhook_secret
            RETURNING \(unescaped: Self.columns), (xmax = 0) AS created
            ), orphaned AS (
            \(unescaped: Self.deadLetter("SELECT key FROM stored WHERE webhook_url IS NULL"))
            )
            SELECT * FROM stored
            """)
        for try await row in rows.decode((Int64, String, String, String, String?, String?, Date, Date, Bool).self) {
            return (try Self.stored(row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7), row.8)
        }
        throw GeofenceStoreError.notReturned
    }

    public func get(tenant: String, id: String) async throws -> StoredGeofence? {
        try await decode(client.query("SELECT \(unescaped: Self.columns) FROM geofences WHERE tenant = \(tenant) AND id = \(id)")).first
    }

    /// A tenant's fences in id order, after `after` (exclusive), at most `limit`.
    public func list(tenant: String, after: String?, limit: Int) async throws -> [StoredGeofence] {
        try await decode(client.query("""
            SELECT \(unescaped: Self.columns) FROM geofences
            WHERE tenant = \(tenant) AND (\(after)::text IS NULL OR id > \(after)::text)
            ORDER BY id LIMIT \(limit)
            """))
    }

    /// - Returns: the deleted fence's key, or nil when there was no such fence.
    public func delete(tenant: String, id: String) async throws -> Int64? {
        let rows = try await client.query("""
            WITH deleted AS (DELETE FROM geofences WHERE tenant = \(tenant) AND id = \(id) RETURNING key),
            orphaned AS (\(unescaped: Self.deadLetter("SELECT key FROM deleted")))
            SELECT key FROM deleted
            """)
        for try await key in rows.decode(Int64.self) { return key }
        return nil
    }

    /// Dead-letters the undelivered webhook messages of the fences `keys` selects
    /// (deleted, or left without a webhook): nothing is left to send them to.
    private static func deadLetter(_ keys: String) -> String {
        """
        UPDATE message_queue SET status = 'dead_letter', last_error = 'the fence or its webhook was removed', lock_expires_at = NULL
        WHERE queue_name = 'geofence_webhooks' AND status IN ('pending', 'processing')
          AND (payload->>'fence_key')::bigint IN (\(keys))
        """
    }

    /// Every fence of every tenant, for the in-memory index.
    public func all() async throws -> [StoredGeofence] {
        try await decode(client.query("SELECT \(unescaped: Self.columns) FROM geofences ORDER BY key"))
    }

    /// The fences of these keys that still exist.
    public func load(keys: [Int64]) async throws -> [StoredGeofence] {
        try await decode(client.query("SELECT \(unescaped: Self.columns) FROM geofences WHERE key = ANY(\(keys)::int8[])"))
    }

    private func decode(_ rows: PostgresRowSequence) async throws -> [StoredGeofence] {
        var fences: [StoredGeofence] = []
        for try await row in rows.decode((Int64, String, String, String, String?, String?, Date, Date).self) {
            fences.append(try Self.stored(row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7))
        }
        return fences
    }

    private static func stored(
        _ key: Int64, _ tenant: String, _ id: String, _ definition: String, _ url: String?, _ secret: String?, _ created: Date, _ updated: Date
    ) throws -> StoredGeofence {
        let webhook = zip(url, secret).map { Geofence.Webhook(url: $0.0, secret: $0.1) }
        let fence = try GeofenceDefinition.decode(definition).fence(tenant: tenant, id: id, webhook: webhook)
        return StoredGeofence(key: key, fence: fence, createdAt: created, updatedAt: updated)
    }
}

public enum GeofenceStoreError: Error {
    case notReturned
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
