import Foundation
import GeoCore
import Geometry
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct LocationSchemaTests {
    struct Fixture: Sendable {
        let user: UUID
        let coordinate: Coordinate
    }

    static func scatter(around centre: Coordinate, spreadMeters: Double, count: Int, using generator: inout SeededGenerator) -> [Fixture] {
        RandomPoints.near((centre.latitude, centre.longitude), spreadMeters: spreadMeters, count: count, using: &generator)
            .map { Fixture(user: UUID(), coordinate: $0) }
    }

    @Test(arguments: [
        (-1.95, 30.06, "Kigali"),
        (89.995, 12.0, "North Pole"),
        (-89.995, -70.0, "South Pole"),
        (-16.79, 179.999, "antimeridian east"),
        (65.0, -179.9995, "antimeridian west"),
    ])
    func nearbyMatchesBruteForceGeodesicDistances(latitude: Double, longitude: Double, place: String) async throws {
        let centre = try Coordinate(latitude: latitude, longitude: longitude)
        var generator = SeededGenerator(seed: UInt64(abs(latitude * 1000 + longitude)))
        let fixtures = Self.scatter(around: centre, spreadMeters: 3_000, count: 400, using: &generator)
        let geodesic = WGS84Geodesic()
        try await TestDatabase.withMigratedDatabase { client in
            for fixture in fixtures {
                try await client.run("""
                    INSERT INTO locations (user_id, type, coordinates)
                    VALUES (\(fixture.user), 'current', ST_GeogFromText(\(WKT.point(fixture.coordinate))))
                    """)
            }
            try await client.run("INSERT INTO locations (user_id, type, coordinates) VALUES (\(UUID()), 'home', ST_GeogFromText(\(WKT.point(centre))))")
            for _ in 0..<10 {
                let query = Self.scatter(around: centre, spreadMeters: 1_000, count: 1, using: &generator)[0].coordinate
                let radius = Double.random(in: 200...2_000, using: &generator)
                let expected = fixtures
                    .map { ($0.user, geodesic.distanceMeters(from: query, to: $0.coordinate)) }
                    .filter { $0.1 <= radius }
                    .sorted { $0.1 < $1.1 }
                    .prefix(25)
                let rows = try await client.rows("""
                    SELECT user_id, distance_meters FROM find_nearby_locations(\(query.latitude), \(query.longitude), \(radius), 'current', 25)
                    """).map { try $0.decode((UUID, Double).self) }
                #expect(rows.map(\.0) == expected.map(\.0), "\(place): same users in the same order")
                for (row, truth) in zip(rows, expected) {
                    #expect(abs(row.1 - truth.1) < 0.01, "\(place): distance within 1 cm")
                }
            }
        }
    }

    @Test func nearbyFiltersByTypeAndAgeAndRejectsBadInput() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                INSERT INTO locations (user_id, type, coordinates, updated_at) VALUES
                  (\(UUID()), 'current', 'SRID=4326;POINT(30.06 -1.95)', now()),
                  (\(UUID()), 'current', 'SRID=4326;POINT(30.0601 -1.95)', now() - interval '10 minutes'),
                  (\(UUID()), 'pickup', 'SRID=4326;POINT(30.0602 -1.95)', now())
                """)
            // The updated_at trigger only fires on UPDATE, so the backdated row keeps its age.
            #expect(try await client.value("SELECT count(*)::int FROM find_nearby_locations(-1.95, 30.06, 500, 'current')", as: Int.self) == 2)
            #expect(try await client.value("SELECT count(*)::int FROM find_nearby_locations(-1.95, 30.06, 500, 'current', 20, 60)", as: Int.self) == 1)
            #expect(try await client.value("SELECT count(*)::int FROM find_nearby_locations(-1.95, 30.06, 500)", as: Int.self) == 3)
            #expect(try await client.value("SELECT count(*)::int FROM find_nearby_locations(-1.95, 30.06, 500, NULL, 1)", as: Int.self) == 1)
            for bad in ["91, 0, 100", "0, 181, 100", "'NaN', 0, 100", "0, 0, 0", "0, 0, -5"] {
                await #expect(throws: PSQLError.self) {
                    try await client.run(PostgresQuery(unsafeSQL: "SELECT * FROM find_nearby_locations(\(bad))"))
                }
            }
        }
    }

    @Test func oneLocationPerUserAndType() async throws {
        let user = UUID()
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("INSERT INTO locations (user_id, type, coordinates) VALUES (\(user), 'home', 'SRID=4326;POINT(0 0)')")
            await #expect(throws: PSQLError.self) {
                try await client.run("INSERT INTO locations (user_id, type, coordinates) VALUES (\(user), 'home', 'SRID=4326;POINT(1 1)')")
            }
            await #expect(throws: PSQLError.self) {
                try await client.run("INSERT INTO locations (user_id, type, coordinates) VALUES (\(user), 'office', 'SRID=4326;POINT(1 1)')")
            }
        }
    }
}
