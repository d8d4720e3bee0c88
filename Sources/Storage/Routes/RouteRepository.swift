import Foundation
public import GeoCore
import NIOCore
public import PostgresNIO

/// SQL for the `routes` table: the seed's `get_cached_route` for lookups, an
/// insert for computed routes, and batched counts of lookups served from
/// memory (which never reach `get_cached_route`).
public struct RouteRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    static let columns = """
        r.id, r.profile, ST_Y(r.origin::geometry), ST_X(r.origin::geometry), ST_Y(r.destination::geometry),
        ST_X(r.destination::geometry), ST_AsBinary(r.path::geometry), r.distance_meters, r.duration_seconds,
        r.traffic_multiplier, r.created_at, r.expires_at
        """

    /// The freshest stored route within `toleranceMeters` of both ends (the
    /// seed's semantics; it also counts the lookup as a hit or a miss).
    public func cached(
        from origin: Coordinate, to destination: Coordinate, profile: String, maximumAgeMinutes: Int, toleranceMeters: Double
    ) async throws -> StoredRoute? {
        try await decode(client.query("""
            SELECT \(unescaped: Self.columns) FROM get_cached_route(
              \(origin.latitude), \(origin.longitude), \(destination.latitude), \(destination.longitude),
              \(maximumAgeMinutes)::int, \(toleranceMeters), \(profile)) r
            """)).first
    }

    /// Stores a computed route as a LINESTRING with its encoded polyline (precision 5).
    public func store(
        profile: String, origin: Coordinate, destination: Coordinate, path: [Coordinate], distanceMeters: Double,
        durationSeconds: Double, trafficMultiplier: Double, timeToLiveSeconds: Int
    ) async throws -> StoredRoute {
        let polyline = try Polyline.encode(path, precision: 5)
        let shape = LineStringWKB.encode(path)
        let stored = try await decode(client.query("""
            INSERT INTO routes AS r (profile, origin, destination, path, distance_meters, duration_seconds, traffic_multiplier,
                                     encoded_polyline, polyline_precision, expires_at)
            VALUES (\(profile), ST_SetSRID(ST_MakePoint(\(origin.longitude), \(origin.latitude)), 4326)::geography,
                    ST_SetSRID(ST_MakePoint(\(destination.longitude), \(destination.latitude)), 4326)::geography,
                    ST_GeomFromWKB(\(shape), 4326)::geography, \(distanceMeters), \(durationSeconds), \(trafficMultiplier),
                    \(polyline), 5, now() + make_interval(secs => \(timeToLiveSeconds)))
            RETURNING \(unescaped: Self.columns)
            """))
        guard let route = stored.first else { throw MissingResult(query: "INSERT INTO routes") }
        return route
    }

    /// Adds lookups answered from memory to today's `route_cache_lookups` line.
    public func recordLookups(hits: Int, misses: Int) async throws {
        guard hits > 0 || misses > 0 else { return }
        try await client.query("""
            INSERT INTO route_cache_lookups AS c (day, hits, misses) VALUES (current_date, \(hits), \(misses))
            ON CONFLICT (day) DO UPDATE SET hits = c.hits + EXCLUDED.hits, misses = c.misses + EXCLUDED.misses
            """)
    }

    private func decode(_ rows: PostgresRowSequence) async throws -> [StoredRoute] {
        var routes: [StoredRoute] = []
        typealias Row = (UUID, String, Double, Double, Double, Double, ByteBuffer, Double, Double, Double, Date, Date)
        for try await row in rows.decode(Row.self) {
            routes.append(StoredRoute(
                id: row.0, profile: row.1, origin: try Coordinate(latitude: row.2, longitude: row.3),
                destination: try Coordinate(latitude: row.4, longitude: row.5), path: try LineStringWKB.decode(row.6),
                distanceMeters: row.7, durationSeconds: row.8, trafficMultiplier: row.9, createdAt: row.10, expiresAt: row.11
            ))
        }
        return routes
    }
}
