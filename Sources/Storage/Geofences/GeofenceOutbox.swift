public import Foundation
public import GeoCore
import Logging
public import PostgresNIO

/// Turns the fences a batch of positions entered, left or stayed in into
/// events, written in the transaction that stores the positions: into
/// `event_store` (aggregate `geofence`, a stream per fence, location and
/// type, `key:user:type`, so each driver's events of a fence have gap-free
/// versions in the order they were written; with a stream per fence, two
/// batches in flight that shared a fence would wait for each other's
/// commit) and, for fences with a webhook, into `message_queue` (queue
/// `geofence_webhooks`) for `GeofenceDelivery`. An acknowledged write's
/// crossings are thus committed with it or not at all.
///
/// Versions come from `event_streams`, a row per stream, not from the
/// highest version stored: `event_store` is partitioned, so reading that
/// probes every partition's index for every event, which costs more than
/// the upsert.
public struct GeofenceOutbox: Sendable {
    public static let queue = "geofence_webhooks"

    public let fences: LiveGeofences
    /// Attempts after the first before a webhook message is dead-lettered.
    public let webhookRetries: Int
    /// Called after a batch with webhook messages has committed, to wake the delivery.
    public let queued: @Sendable () -> Void

    public init(fences: LiveGeofences, webhookRetries: Int = 8, queued: @escaping @Sendable () -> Void = {}) {
        self.fences = fences
        self.webhookRetries = webhookRetries
        self.queued = queued
    }

    /// A row the upsert wrote (not one that lost to a newer fix), with the fences it was in before.
    public struct Written: Sendable {
        let location: StoredLocation
        let before: [Int64]

        public init(location: StoredLocation, before: [Int64]) {
            self.location = location
            self.before = before
        }
    }

    /// One event, as it is stored and sent.
    struct Event {
        let id: UUID
        let fence: LiveGeofences.Live
        let kind: Geofence.Detect
        let location: StoredLocation
    }

    private struct Key: Hashable {
        let userID: UUID
        let type: LocationType
    }

    /// Records the events of `written` and corrects the stored fence sets
    /// where attribute filters left out a candidate.
    /// - Parameters:
    ///   - candidates: each update with the fences whose area holds it and
    ///     which watch its type: what the upsert stored in `geofences`.
    ///   - fences: the snapshot those candidates came from.
    /// - Returns: whether webhook messages were queued: the caller calls
    ///   `queued` once the transaction has committed (a worker woken before
    ///   would find nothing, and wait for its next look).
    func record(
        _ written: [Written], candidates: [(LocationUpdate, [Int64])], fences: LiveGeofences.Snapshot, on connection: PostgresConnection
    ) async throws -> Bool {
        let byKey = Dictionary(candidates.map { (Key(userID: $0.0.userID, type: $0.0.type), $0.1) }, uniquingKeysWith: { a, _ in a })
        var events: [Event] = []
        var corrections: [(Key, [Int64])] = []
        for row in written {
            let key = Key(userID: row.location.userID, type: row.location.type)
            let stored = byKey[key] ?? []
            let attributes = row.location.attributes ?? .empty
            let inside = stored.filter { fences.fence($0)?.fence.watches(row.location.type, attributes: attributes) ?? false }
            if inside != stored { corrections.append((key, inside)) }
            let before = Set(row.before)
            let now = Set(inside)
            // In key order, so a batch's events for one fence keep a stable order.
            for fenceKey in Array(before.union(now)).sorted() {
                guard let fence = fences.fence(fenceKey) else { continue }  // deleted since
                let kind: Geofence.Detect = now.contains(fenceKey) ? (before.contains(fenceKey) ? .inside : .enter) : .exit
                if fence.fence.detect.contains(kind) { events.append(Event(id: UUID(), fence: fence, kind: kind, location: row.location)) }
            }
        }
        guard !events.isEmpty || !corrections.isEmpty else { return false }
        try await connection.query(Self.statement(events, corrections: corrections, retries: webhookRetries), logger: Self.logger).collect()
        return events.contains { $0.fence.fence.webhook != nil }
    }

    private static let logger = Logger(label: "wayline.geofences")

    /// A fence set as an array literal, cast to `int8[]` in SQL: a statement's
    /// rows carry sets of different lengths, and PostgreSQL arrays cannot be ragged.
    static func literal(_ fences: [Int64]) -> String {
        "{" + fences.map(String.init).joined(separator: ",") + "}"
    }

    private static func statement(_ events: [Event], corrections: [(Key, [Int64])], retries: Int) -> PostgresQuery {
        """
        WITH e AS (
          SELECT * FROM unnest(
            \(events.map(\.id))::uuid[], \(events.map(\.fence.key))::int8[], \(events.map(\.fence.fence.tenant))::text[],
            \(events.map(\.fence.fence.id))::text[], \(events.map { $0.fence.fence.webhook != nil })::bool[],
            \(events.map(\.location.userID))::uuid[], \(events.map(\.location.type.rawValue))::text[], \(events.map(\.kind.rawValue))::text[],
            \(events.map(\.location.coordinate.latitude))::float8[], \(events.map(\.location.coordinate.longitude))::float8[],
            \(events.map(\.location.recordedAt))::timestamptz[]
          ) WITH ORDINALITY AS e(event_id, fence_key, tenant, fence_id, webhook, user_id, type, event, lat, lng, at, n)
        ), keyed AS (
          SELECT e.*, fence_key || ':' || user_id || ':' || type AS stream FROM e
        ), streams AS (
          -- In stream order, so that two batches lock the streams they share in the same order.
          INSERT INTO event_streams AS s (aggregate_type, aggregate_id, current_version)
          SELECT 'geofence', stream, count(*) FROM keyed GROUP BY stream ORDER BY stream
          ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE
            SET current_version = s.current_version + EXCLUDED.current_version, updated_at = now()
          RETURNING aggregate_id, current_version
        ), numbered AS (
          SELECT k.*, s.current_version - count(*) OVER (PARTITION BY k.stream)
                      + row_number() OVER (PARTITION BY k.stream ORDER BY k.n) AS version,
                 jsonb_build_object('event_id', k.event_id, 'fence_id', k.fence_id, 'user_id', k.user_id, 'type', k.type,
                                    'event', k.event, 'lat', k.lat, 'lng', k.lng,
                                    'at', to_char(k.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) AS payload
          FROM keyed k JOIN streams s ON s.aggregate_id = k.stream
        ), stored AS (
          INSERT INTO event_store (id, aggregate_type, aggregate_id, event_type, version, payload, metadata)
          SELECT event_id, 'geofence', stream, 'geofence.' || event, version, payload,
                 jsonb_build_object('tenant', tenant, 'xid', pg_current_xact_id()::text::int8, 'n', n)
          FROM numbered
        ), queued AS (
          INSERT INTO message_queue (queue_name, message_type, payload, max_retries, correlation_id, idempotency_key)
          SELECT \(queue), 'geofence.' || event, payload || jsonb_build_object('fence_key', fence_key, 'version', version),
                 \(retries), stream, event_id::text
          FROM numbered WHERE webhook
        )
        UPDATE locations l SET geofences = nullif(c.fences::int8[], '{}')
        FROM unnest(\(corrections.map(\.0.userID))::uuid[], \(corrections.map(\.0.type.rawValue))::text[],
                    \(corrections.map { literal($0.1) })::text[]) AS c(user_id, type, fences)
        WHERE l.user_id = c.user_id AND l.type = c.type
        """
    }
}
