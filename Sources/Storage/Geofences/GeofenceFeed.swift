public import PostgresNIO

/// A tenant's geofence events in a stable order, for consumers that pull
/// (`GET /v1/geofences/events?after=`).
///
/// Events are ordered by the transaction that wrote them, then by their
/// place in it. A transaction's id is taken before it commits, so a later
/// commit can carry a smaller one; the feed therefore serves only events of
/// transactions older than every transaction still running
/// (`pg_snapshot_xmin`), and no event can ever commit behind a cursor a
/// consumer has been given. An event reaches the feed once the transactions
/// that began before its own have ended: at once, in practice.
public struct GeofenceFeed: Sendable {
    /// A place in the feed: the last event read (`xid.n`); zero before the first.
    public struct Cursor: Sendable, Equatable, CustomStringConvertible {
        public let transaction: Int64
        public let index: Int64

        public static let start = Cursor(transaction: 0, index: 0)

        public init(transaction: Int64, index: Int64) {
            self.transaction = transaction
            self.index = index
        }

        /// `xid.n` as `description` writes it.
        public init?(_ text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let transaction = Int64(parts[0]), let index = Int64(parts[1]), transaction >= 0, index >= 0 else {
                return nil
            }
            self.init(transaction: transaction, index: index)
        }

        public var description: String { "\(transaction).\(index)" }
    }

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// An event as its JSON text (one line), and its place in the feed.
    public struct Event: Sendable {
        public let json: String
        public let cursor: Cursor
    }

    /// Up to `limit` events after `cursor`, and the cursor after the last.
    public func read(tenant: String, after cursor: Cursor, limit: Int) async throws -> (events: [Event], next: Cursor) {
        let rows = try await client.query("""
            SELECT payload::text, (metadata->>'xid')::int8, (metadata->>'n')::int8
            FROM event_store
            WHERE aggregate_type = 'geofence' AND metadata->>'tenant' = \(tenant)
              AND ((metadata->>'xid')::int8, (metadata->>'n')::int8) > (\(cursor.transaction), \(cursor.index))
              AND (metadata->>'xid')::int8 < pg_snapshot_xmin(pg_current_snapshot())::text::int8
            ORDER BY (metadata->>'xid')::int8, (metadata->>'n')::int8
            LIMIT \(limit)
            """)
        var events: [Event] = []
        for try await (payload, transaction, index) in rows.decode((String, Int64, Int64).self) {
            events.append(Event(json: payload, cursor: Cursor(transaction: transaction, index: index)))
        }
        return (events, events.last?.cursor ?? cursor)
    }
}
