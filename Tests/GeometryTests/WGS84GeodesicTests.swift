import GeoCore
import Geometry
import PostgresNIO
import Testing
import TestSupport

/// Lengths must match PostGIS `ST_Length(geography)`, which uses the same
/// geodesic algorithms on the same ellipsoid.
@Suite(.timeLimit(.minutes(5))) struct WGS84GeodesicTests {
    let geodesic = WGS84Geodesic()

    @Test func knownDistances() {
        // One degree of latitude at the equator on WGS84: 110 574.389 m (Karney's GeodSolve).
        let equator = GeometryFixtures.coordinate(0, 0)
        let north = GeometryFixtures.coordinate(1, 0)
        #expect(abs(geodesic.distanceMeters(from: equator, to: north) - 110_574.388_6) < 0.001)
        #expect(geodesic.distanceMeters(from: north, to: north) == 0)
        #expect(geodesic.lengthMeters(of: [equator]) == 0)
    }

    /// The chord-based short distance against Karney's, everywhere nearby
    /// searches can be: random pairs up to 150 km apart around the globe, near
    /// the poles, across ±180° and along the equator. It answers for every pair
    /// within 100 km, to a micrometre, and declines the rest.
    @Test func shortDistancesAgreeWithKarney() {
        var generator = SeededGenerator(seed: 7)
        var declined = 0
        for index in 0..<20_000 {
            let latitude: Double
            switch index % 4 {
            case 0: latitude = Double.random(in: 89.5...90, using: &generator) * (index % 8 == 0 ? 1 : -1)
            case 1: latitude = Double.random(in: -0.01...0.01, using: &generator)
            default: latitude = Double.random(in: -90...90, using: &generator)
            }
            let longitude = index % 3 == 0 ? 180 - Double.random(in: 0...0.5, using: &generator) : Double.random(in: -180...180, using: &generator)
            let start = GeometryFixtures.coordinate(latitude, longitude)
            let step = 0.95 * Double.random(in: 0...1, using: &generator)
            let end = GeometryFixtures.coordinate(
                min(90, max(-90, latitude + Double.random(in: -step...step, using: &generator))),
                ((longitude + Double.random(in: -step...step, using: &generator) + 540).truncatingRemainder(dividingBy: 360)) - 180
            )
            let karney = geodesic.distanceMeters(from: start, to: end)
            if let short = WGS84.shortDistanceMeters(from: start, to: end) {
                #expect(abs(short - karney) < 1e-6, "\(start) → \(end)")
            } else {
                declined += 1
                #expect(karney > 100_000, "\(start) → \(end)")
            }
        }
        #expect(declined > 100)
        // Coincident points, and a pair far too far apart.
        let point = GeometryFixtures.coordinate(12.5, -45)
        #expect(WGS84.shortDistanceMeters(from: point, to: point) == 0)
        #expect(WGS84.shortDistanceMeters(from: point, to: GeometryFixtures.coordinate(-12.5, 135)) == nil)
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
