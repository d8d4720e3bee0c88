public import Foundation
public import GeoCore
import NIOCore
public import PostgresNIO

/// SQL for the `routes` table: the seed's `get_cached_route` for lookups, an
/// insert for computed routes, and batched counts of lookups served from
/// memory (which never reach `get_cached_route`).
public struct RouteRepository: Sendable {
    private let client: PostgresClient
    private let performance: PerformanceLog

    /// - Parameter performance: where statements slower than its threshold are logged.
    public init(client: PostgresClient, performance: PerformanceLog = .off) {
        self.client = client
        self.performance = performance
    }

    static let columns = """
        r.id, r.profile, ST_Y(r.origin::geometry), ST_X(r.origin::geometry), ST_Y(r.destination::geometry),
        ST_X(r.destination::geometry), ST_AsBinary(r.path::geometry), r.distance_meters, r.duration_seconds,
        r.traffic_multiplier, r.created_at, r.expires_at, r.encoded_polyline, r.polyline_precision
        """

    /// The freshest stored route within `toleranceMeters` of both ends (the
    /// seed's semantics; it also counts the lookup as a hit or a miss).
    public func cached(
        from origin: Coordinate, to destination: Coordinate, profile: String, maximumAgeMinutes: Int, toleranceMeters: Double
    ) async throws -> StoredRoute? {
        try await performance.timed("routes.lookup", table: "routes") {
            try await decode(client.query("""
                SELECT \(unescaped: Self.columns) FROM get_cached_route(
                  \(origin.latitude), \(origin.longitude), \(destination.latitude), \(destination.longitude),
                  \(maximumAgeMinutes)::int, \(toleranceMeters), \(profile)) r
                """)).first
        }
    }

    /// A route the router computed, to store.
    public struct Computed: Sendable {
        public let profile: String
        public let origin: Coordinate
        public let destination: Coordinate
        public let path: [Coordinate]
        public let distanceMeters: Double
        public let durationSeconds: Double
        public let trafficMultiplier: Double
        public let timeToLiveSeconds: Int

        public init(
            profile: String, origin: Coordinate, destination: Coordinate, path: [Coordinate], distanceMeters: Double,
            durationSeconds: Double, trafficMultiplier: Double, timeToLiveSeconds: Int
        ) {
            self.profile = profile
            self.origin = origin
            self.destination = destination
            self.path = path
            self.distanceMeters = distanceMeters
            self.durationSeconds = durationSeconds
            self.trafficMultiplier = trafficMultiplier
            self.timeToLiveSeconds = timeToLiveSeconds
        }

        /// The route as it would be stored, for one kept in memory only.
        public func unstored(at now: Date = Date()) throws -> StoredRoute {
            stored(id: UUID(), encodedPolyline: try Polyline.encode(path, precision: 5), createdAt: now, expiresAt: now.addingTimeInterval(Double(timeToLiveSeconds)))
        }

        func stored(id: UUID, encodedPolyline: String, createdAt: Date, expiresAt: Date) -> StoredRoute {
            StoredRoute(
                id: id, profile: profile, origin: origin, destination: destination, path: path, encodedPolyline: encodedPolyline,
                distanceMeters: distanceMeters, durationSeconds: durationSeconds, trafficMultiplier: trafficMultiplier,
                createdAt: createdAt, expiresAt: expiresAt
            )
        }
    }

    /// Stores a computed route as a LINESTRING with its encoded polyline
    /// (precision 5), encoded here once and kept with the route; the
    /// database returns only what it assigns (id and times).
    public func store(_ route: Computed) async throws -> StoredRoute {
        try await performance.timed("routes.store", table: "routes") {
            let polyline = try Polyline.encode(route.path, precision: 5)
            let shape = LineStringWKB.encode(route.path)
            let rows = try await client.query("""
                INSERT INTO routes (profile, origin, destination, path, distance_meters, duration_seconds, traffic_multiplier,
                                    encoded_polyline, polyline_precision, expires_at)
                VALUES (\(route.profile), ST_SetSRID(ST_MakePoint(\(route.origin.longitude), \(route.origin.latitude)), 4326)::geography,
                        ST_SetSRID(ST_MakePoint(\(route.destination.longitude), \(route.destination.latitude)), 4326)::geography,
                        ST_GeomFromWKB(\(shape), 4326)::geography, \(route.distanceMeters), \(route.durationSeconds), \(route.trafficMultiplier),
                        \(polyline), 5, now() + make_interval(secs => \(route.timeToLiveSeconds)))
                RETURNING id, created_at, expires_at
                """)
            for try await (id, createdAt, expiresAt) in rows.decode((UUID, Date, Date).self) {
                return route.stored(id: id, encodedPolyline: polyline, createdAt: createdAt, expiresAt: expiresAt)
            }
            throw MissingResult(query: "INSERT INTO routes")
        }
    }

    /// Adds lookups answered from memory to today's `route_cache_lookups` line.
    public func recordLookups(hits: Int, misses: Int) async throws {
        try await performance.timed("routes.record_lookups", table: "routes") {
            guard hits > 0 || misses > 0 else { return }
            try await client.query("""
                INSERT INTO route_cache_lookups AS c (day, hits, misses) VALUES (current_date, \(hits), \(misses))
                ON CONFLICT (day) DO UPDATE SET hits = c.hits + EXCLUDED.hits, misses = c.misses + EXCLUDED.misses
                """)
        }
    }

    private func decode(_ rows: PostgresRowSequence) async throws -> [StoredRoute] {
        var routes: [StoredRoute] = []
        typealias Row = (UUID, String, Double, Double, Double, Double, ByteBuffer, Double, Double, Double, Date, Date, String?, Int?)
        for try await row in rows.decode(Row.self) {
            let path = try LineStringWKB.decode(row.6)
            routes.append(StoredRoute(
                id: row.0, profile: row.1, origin: try Coordinate(latitude: row.2, longitude: row.3),
                destination: try Coordinate(latitude: row.4, longitude: row.5), path: path,
                // A row stored by other software may hold another precision, or none.
                encodedPolyline: try row.12.flatMap { row.13 == 5 ? $0 : nil } ?? Polyline.encode(path, precision: 5),
                distanceMeters: row.7, durationSeconds: row.8, trafficMultiplier: row.9, createdAt: row.10, expiresAt: row.11
            ))
        }
        return routes
    }
}
