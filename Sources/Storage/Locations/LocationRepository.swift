public import Foundation
public import GeoCore
import Logging
public import PostgresNIO

/// SQL for the `locations` table. Every statement binds its values; a batch
/// travels as one array per column so a thousand rows are one round trip.
public struct LocationRepository: Sendable {
    private let client: PostgresClient
    private let performance: PerformanceLog

    /// - Parameter performance: where statements slower than its threshold are logged.
    public init(client: PostgresClient, performance: PerformanceLog = .off) {
        self.client = client
        self.performance = performance
    }

    /// The columns every read returns, in `StoredLocation` order.
    static let columns = """
        l.user_id, l.type, ST_Y(l.coordinates::geometry), ST_X(l.coordinates::geometry), l.accuracy_m, l.altitude_m,
        l.heading_deg, l.speed_mps, l.recorded_at, l.updated_at, l.address, l.place_name, l.place_id, l.city, l.country,
        \(AttributeColumns.selected(from: "l.metadata"))
        """

    /// Upserts a batch in one statement and returns, per (user, type), what is
    /// stored afterwards: the update, or the newer fix it lost to. The batch
    /// must not repeat a (user, type); `LocationWriter` merges repeats first.
    /// Rows that lost are looked up only when some did (the count gate), and
    /// through a hashed NOT IN: with NOT EXISTS the planner, which guesses 100
    /// rows for both CTEs, scanned `written` once per input row (30 of 90 ms
    /// for 500 rows in EXPLAIN ANALYZE).
    ///
    /// Attributes replace the stored ones only for rows that carry them: the
    /// rows that do are looked up in a hashed set (`replacing`), so a batch
    /// with none (most position writes) pays one empty set.
    ///
    /// With an outbox whose fences are loaded, each position is tested
    /// against the fences in memory: the fences that hold it are stored in
    /// `geofences`, the ones before in `geofences_before`, and the crossings
    /// become events in the same transaction (`GeofenceOutbox`). Before the
    /// fences are loaded, and while there is none, both columns are kept as they are.
    public func upsert(_ updates: [LocationUpdate], outbox: GeofenceOutbox? = nil) async throws -> [StoredLocation] {
        try await performance.timed("locations.upsert", table: "locations") {
            guard !updates.isEmpty else { return [] }
            // With no fence at all the stored sets are kept: they can only name
            // deleted fences then, which never make events (keys are not reused).
            let fences = outbox.flatMap { $0.fences.isLoaded ? $0.fences.current : nil }.flatMap { $0.isEmpty ? nil : $0 }
            let candidates = fences.map { fences in updates.map(fences.candidates) }
            let query = Self.upsertQuery(updates, candidates: candidates)
            guard let outbox, let fences, let candidates else { return try await decode(client.query(query)) }
            let (stored, queued) = try await client.withTransaction(logger: Self.logger) { connection in
                var stored: [StoredLocation] = []
                var written: [GeofenceOutbox.Written] = []
                for try await row in try await connection.query(query, logger: Self.logger) {
                    let location = try Self.location(from: row)
                    stored.append(location)
                    let cells = Array(row)
                    if try cells[16].decode(Bool.self) {
                        written.append(GeofenceOutbox.Written(location: location, before: try cells[17].decode([Int64].self)))
                    }
                }
                return (stored, try await outbox.record(written, candidates: Array(zip(updates, candidates)), fences: fences, on: connection))
            }
            if queued { outbox.queued() }
            return stored
        }
    }

    /// The fence columns' change on conflict, when the batch was tested against the fences.
    private static let fenceColumns = ", geofences = EXCLUDED.geofences, geofences_before = l.geofences"

    private static func upsertQuery(_ updates: [LocationUpdate], candidates: [[Int64]]?) -> PostgresQuery {
        var fields = AttributeColumns.Flattened()
        for (row, update) in updates.enumerated() {
            if let attributes = update.attributes { fields.append(attributes, row: row + 1) }
        }
        let fenceSets: [String?] = candidates?.map(GeofenceOutbox.literal) ?? updates.map { _ in nil }
        return """
            WITH input AS (
              SELECT * FROM unnest(
                \(updates.map(\.userID))::uuid[], \(updates.map(\.type.rawValue))::text[],
                \(updates.map(\.coordinate.latitude))::float8[], \(updates.map(\.coordinate.longitude))::float8[],
                \(NullableArray(updates.map(\.accuracyMeters)))::float8[], \(NullableArray(updates.map(\.altitudeMeters)))::float8[],
                \(NullableArray(updates.map(\.headingDegrees)))::float8[], \(NullableArray(updates.map(\.speedMetersPerSecond)))::float8[],
                \(updates.map(\.recordedAt))::timestamptz[], \(NullableArray(updates.map(\.address)))::text[],
                \(NullableArray(updates.map(\.placeName)))::text[], \(NullableArray(updates.map(\.placeID)))::text[],
                \(NullableArray(updates.map(\.city)))::text[], \(NullableArray(updates.map(\.country)))::text[],
                \(updates.map { $0.attributes != nil })::bool[], \(NullableArray(fenceSets))::text[]
              ) WITH ORDINALITY AS x(user_id, type, lat, lng, accuracy_m, altitude_m, heading_deg, speed_mps, recorded_at,
                                     address, place_name, place_id, city, country, replaces_attributes, fences, n)
            ), folded AS (
              SELECT a.n, jsonb_object_agg(a.name, \(unescaped: AttributeColumns.folded)) AS metadata
              FROM unnest(\(fields.rows)::int8[], \(fields.names)::text[], \(fields.kinds)::text[], \(fields.texts)::text[])
                AS a(n, name, kind, text)
              GROUP BY a.n
            ), written AS (
              INSERT INTO locations AS l (user_id, type, coordinates, accuracy_m, altitude_m, heading_deg, speed_mps,
                                          recorded_at, address, place_name, place_id, city, country, metadata, geofences)
              SELECT user_id, type, ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography, accuracy_m, altitude_m,
                     heading_deg, speed_mps, recorded_at, address, place_name, place_id, city, country,
                     coalesce(f.metadata, '{}'::jsonb), nullif(fences::int8[], '{}')
              FROM input i LEFT JOIN folded f USING (n)
              ON CONFLICT (user_id, type) DO UPDATE SET
                metadata = CASE WHEN (EXCLUDED.user_id, EXCLUDED.type) IN (SELECT user_id, type FROM input WHERE replaces_attributes)
                                THEN EXCLUDED.metadata ELSE l.metadata END,
                coordinates = EXCLUDED.coordinates, accuracy_m = EXCLUDED.accuracy_m, altitude_m = EXCLUDED.altitude_m,
                heading_deg = EXCLUDED.heading_deg, speed_mps = EXCLUDED.speed_mps, recorded_at = EXCLUDED.recorded_at,
                address = EXCLUDED.address, place_name = EXCLUDED.place_name, place_id = EXCLUDED.place_id,
                city = EXCLUDED.city, country = EXCLUDED.country\(unescaped: candidates == nil ? "" : fenceColumns)
              WHERE l.recorded_at <= EXCLUDED.recorded_at
              RETURNING l.*
            )
            SELECT \(unescaped: columns), true, coalesce(l.geofences_before, '{}') FROM written l
            UNION ALL
            SELECT \(unescaped: columns), false, '{}'::int8[] FROM locations l JOIN input i USING (user_id, type)
            WHERE (SELECT count(*) FROM written) < (SELECT count(*) FROM input)
              AND (l.user_id, l.type) NOT IN (SELECT w.user_id, w.type FROM written w)
            """
    }

    /// One location of a user, or nil, read with `identity`'s rights.
    public func find(userID: UUID, type: LocationType, as identity: ReadIdentity = .service) async throws -> StoredLocation? {
        try await read(as: identity, """
            SELECT \(unescaped: Self.columns) FROM locations l WHERE l.user_id = \(userID) AND l.type = \(type.rawValue)
            """).first
    }

    /// All locations of a user, in type order, read with `identity`'s rights.
    public func find(userID: UUID, as identity: ReadIdentity = .service) async throws -> [StoredLocation] {
        try await read(as: identity, "SELECT \(unescaped: Self.columns) FROM locations l WHERE l.user_id = \(userID) ORDER BY l.type")
    }

    private func read(as identity: ReadIdentity, _ query: PostgresQuery) async throws -> [StoredLocation] {
        try await performance.timed("locations.find", table: "locations") {
            try await client.withReadIdentity(identity, logger: Self.logger) { connection in
                try await decode(connection.query(query, logger: Self.logger))
            }
        }
    }

    private static let logger = Logger(label: "wayline.locations")

    /// What became of a change to a location's attributes.
    public enum AttributeChange: Sendable {
        case changed(StoredLocation)
        case noSuchLocation
        /// The change would leave more fields than `Attributes.maximumFields`; nothing changed.
        case tooManyFields(Int)
    }

    /// Changes a location's attributes without moving it, as a JSON merge
    /// patch (RFC 7396) would: `set` adds or replaces fields, `remove` drops
    /// them. One statement, so a position write racing it keeps its change.
    public func changeAttributes(userID: UUID, type: LocationType, set: Attributes, remove: [String]) async throws -> AttributeChange {
        try await performance.timed("locations.attributes", table: "locations") {
            var fields = AttributeColumns.Flattened()
            fields.append(set, row: 1)
            let merged: PostgresQuery = """
                WITH merged AS (
                  SELECT l.id, (\(unescaped: AttributeColumns.object(of: "l.metadata")) - \(remove)::text[]) || \(objectOf: fields) AS metadata
                  FROM locations l WHERE l.user_id = \(userID) AND l.type = \(type.rawValue)
                )
                UPDATE locations l SET metadata = m.metadata FROM merged m
                WHERE l.id = m.id AND (SELECT count(*) FROM jsonb_object_keys(m.metadata)) <= \(Attributes.maximumFields)
                RETURNING \(unescaped: Self.columns)
                """
            for try await row in try await client.query(merged) { return .changed(try Self.location(from: row)) }
            // Nothing changed: no such location, or too many fields (told apart after the fact; nothing was written).
            let counted = try await client.query("""
                SELECT (SELECT count(*)::int FROM jsonb_object_keys(
                          (\(unescaped: AttributeColumns.object(of: "l.metadata")) - \(remove)::text[]) || jsonb_object(\(fields.names)::text[], \(fields.texts)::text[])))
                FROM locations l WHERE l.user_id = \(userID) AND l.type = \(type.rawValue)
                """)
            for try await count in counted.decode(Int.self) { return .tooManyFields(count) }
            return .noSuchLocation
        }
    }

    /// Deletes a user's location of one type, or all of them; returns how many.
    public func delete(userID: UUID, type: LocationType?) async throws -> Int {
        try await performance.timed("locations.delete", table: "locations") {
            let rows = try await client.query("""
                WITH gone AS (
                  DELETE FROM locations WHERE user_id = \(userID) AND (\(type?.rawValue)::text IS NULL OR type = \(type?.rawValue))
                  RETURNING 1
                ) SELECT count(*)::int FROM gone
                """)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// `current` positions stamped at or after `since`: how an instance
    /// follows the others' writes (and re-reads its own, so only the columns
    /// the index needs). Rows stream, so the first load of a large table does
    /// not sit in memory twice.
    func currentPositionsChanged(since: Date, _ body: ([DriverPosition]) -> Void) async throws {
        try await performance.timed("locations.follow", table: "locations") {
            let rows = try await client.query("""
                SELECT user_id, ST_Y(coordinates::geometry), ST_X(coordinates::geometry), updated_at, heading_deg,
                       \(unescaped: AttributeColumns.selected(from: "metadata"))
                FROM locations WHERE type = 'current' AND updated_at >= \(since)
                """)
            var page: [DriverPosition] = []
            let decoded = rows.decode((UUID, Double, Double, Date, Double?, [String]).self)
            for try await (userID, latitude, longitude, updatedAt, heading, attributes) in decoded {
                page.append(DriverPosition(
                    userID: userID, coordinate: try Coordinate(latitude: latitude, longitude: longitude), updatedAt: updatedAt,
                    headingDegrees: heading, attributes: AttributeColumns.decode(attributes)
                ))
                if page.count == 10_000 {
                    body(page)
                    page.removeAll(keepingCapacity: true)
                }
            }
            body(page)
        }
    }

    /// The earliest time a row not yet visible could be stamped with: the start
    /// of the oldest transaction still open (updated_at is a transaction's start
    /// time), or now. Sessions of other database roles are invisible without
    /// pg_read_all_stats, which is fine when every instance connects as one role.
    public func changeHorizon() async throws -> Date {
        let rows = try await client.query("""
            SELECT least(now(), (SELECT min(xact_start) FROM pg_stat_activity
                                 WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()))
            """)
        for try await horizon in rows.decode(Date.self) { return horizon }
        return Date()
    }

    /// `current` locations removed at or after `since`, from the tombstones the delete trigger keeps.
    public func currentDeleted(since: Date) async throws -> [(userID: UUID, deletedAt: Date)] {
        try await performance.timed("locations.follow_deletions", table: "location_tombstones") {
            var removed: [(UUID, Date)] = []
            let rows = try await client.query("""
                SELECT user_id, deleted_at FROM location_tombstones WHERE type = 'current' AND deleted_at >= \(since)
                """)
            for try await (user, deletedAt) in rows.decode((UUID, Date).self) { removed.append((user, deletedAt)) }
            return removed.map { (userID: $0.0, deletedAt: $0.1) }
        }
    }

    /// Nearest locations of a type through PostGIS (`find_nearby_locations`).
    /// - Parameter filter: conditions on attributes (jsonb), applied inside the k-nearest search.
    public func nearby(
        _ center: Coordinate, radiusMeters: Double, type: LocationType, limit: Int, maxAgeSeconds: Int?, filter: AttributeFilter? = nil
    ) async throws -> [(location: StoredLocation, distanceMeters: Double)] {
        try await performance.timed("locations.nearby", table: "locations") {
            let path = filter.flatMap { $0.isEmpty ? nil : AttributePath($0) }
            let variables = path?.variables ?? AttributeColumns.Flattened()
            let rows = try await client.query("""
                SELECT \(unescaped: Self.columns), n.distance_meters
                FROM find_nearby_locations(\(center.latitude), \(center.longitude), \(radiusMeters), \(type.rawValue),
                                           \(limit)::int, \(maxAgeSeconds)::int, \(path?.path)::jsonpath, \(objectOf: variables)) n
                JOIN locations l ON l.id = n.location_id
                ORDER BY n.distance_meters, n.user_id
                """)
            var result: [(StoredLocation, Double)] = []
            for try await row in rows {
                let location = try Self.location(from: row)
                result.append((location, try Array(row)[16].decode(Double.self)))
            }
            return result.map { (location: $0.0, distanceMeters: $0.1) }
        }
    }

    private func decode(_ rows: PostgresRowSequence) async throws -> [StoredLocation] {
        var locations: [StoredLocation] = []
        for try await row in rows {
            locations.append(try Self.location(from: row))
        }
        return locations
    }

    static func location(from row: PostgresRow) throws -> StoredLocation {
        let cells = Array(row)
        func value<T: PostgresDecodable>(_ index: Int, _ type: T.Type) throws -> T {
            try cells[index].decode(T.self)
        }
        guard let type = LocationType(rawValue: try value(1, String.self)) else { throw StoredLocationError.unknownType }
        let update = LocationUpdate(
            userID: try value(0, UUID.self), type: type,
            coordinate: try Coordinate(latitude: try value(2, Double.self), longitude: try value(3, Double.self)),
            recordedAt: try value(8, Date.self),
            accuracyMeters: try value(4, Double?.self), altitudeMeters: try value(5, Double?.self),
            headingDegrees: try value(6, Double?.self), speedMetersPerSecond: try value(7, Double?.self),
            address: try value(10, String?.self), placeName: try value(11, String?.self),
            placeID: try value(12, String?.self), city: try value(13, String?.self), country: try value(14, String?.self),
            attributes: AttributeColumns.decode(try value(15, [String].self))
        )
        return StoredLocation(update: update, updatedAt: try value(9, Date.self))
    }
}

enum StoredLocationError: Error {
    case unknownType
}

extension LocationRepository {
    /// Deletes every `current` position not updated since `cutoff`, a batch
    /// at a time; returns how many.
    public func purgeStaleCurrent(before cutoff: Date, batchSize: Int = 1_000) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await deleteStaleCurrent(before: cutoff, batchSize: batchSize)
            total += deleted
            if deleted < batchSize { return total }
        }
    }

    /// Deletes up to `batchSize` `current` positions not updated since
    /// `cutoff`, in one short statement; returns how many. Retention calls it
    /// until it returns less than a batch, so no long transaction holds locks
    /// that position writes wait on.
    public func deleteStaleCurrent(before cutoff: Date, batchSize: Int) async throws -> Int {
        try await performance.timed("locations.retention", table: "locations") {
            let rows = try await client.query("""
                WITH gone AS (
                  DELETE FROM locations WHERE id IN (
                    SELECT id FROM locations WHERE type = 'current' AND updated_at < \(cutoff) LIMIT \(batchSize)
                    FOR UPDATE SKIP LOCKED
                  ) RETURNING 1
                ) SELECT count(*)::int FROM gone
                """)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }
}
