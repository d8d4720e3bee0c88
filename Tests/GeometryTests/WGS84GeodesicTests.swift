import GeoCore
import Geometry
import PostgresNIO
import Testing
import TestSupport

/// Lengths must match PostGIS `ST_Length(geography)`, which uses the same
/// geodesic algorithms on the same ellipsoid.
@Suite struct WGS84GeodesicTests {
    let geodesic = WGS84Geodesic()

    @Test func knownDistances() {
        // One degree of latitude at the equator on WGS84: 110 574.389 m (Karney's GeodSolve).
        let equator = GeometryFixtures.coordinate(0, 0)
        let north = GeometryFixtures.coordinate(1, 0)
        #expect(abs(geodesic.distanceMeters(from: equator, to: north) - 110_574.388_6) < 0.001)
        #expect(geodesic.distanceMeters(from: north, to: north) == 0)
        #expect(geodesic.lengthMeters(of: [equator]) == 0)
    }

    @Test func lengthsMatchPostGIS() async throws {
        var generator = SeededGenerator(seed: 42)
        var lines = GeometryFixtures.realLines
        for index in 0..<200 {
            lines.append(GeometryFixtures.randomWalk(count: 2 + index % 20, stepMeters: [50, 5_000, 500_000][index % 3], using: &generator))
        }
        try await TestDatabase.withMigratedDatabase { client in
            for line in lines {
                let expected = try await client.value("SELECT ST_Length(ST_GeogFromText(\(WKT.lineString(line))))", as: Double.self)
                let actual = geodesic.lengthMeters(of: line)
                #expect(abs(actual - expected) <= 1e-6 + expected * 1e-9, "line \(line.first!) … \(line.count) points")
            }
        }
    }
}
