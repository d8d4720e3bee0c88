import GeoCore
import Geometry
import PostgresNIO
import Testing
import TestSupport

/// Projections must match PostGIS `ST_Transform` to the same EPSG code.
@Suite(.timeLimit(.minutes(5))) struct LocalProjectionTests {
    @Test func zonesFollowTheUTMGrid() {
        #expect(UTMZone(containing: GeometryFixtures.coordinate(43.73, 7.42)).epsg == 32632)
        #expect(UTMZone(containing: GeometryFixtures.coordinate(-1.95, 30.06)).epsg == 32736)
        #expect(UTMZone(containing: GeometryFixtures.coordinate(10, -180)).epsg == 32601)
        #expect(UTMZone(containing: GeometryFixtures.coordinate(10, 180)).epsg == 32660)
        #expect(UTMZone(containing: GeometryFixtures.coordinate(84.5, 10)).epsg == 32661)
        #expect(UTMZone(containing: GeometryFixtures.coordinate(-80.5, 10)).epsg == 32761)
    }

    @Test func projectionsMatchPostGIS() async throws {
        var generator = SeededGenerator(seed: 7)
        var points = GeometryFixtures.realLines.flatMap { $0 }
        for _ in 0..<300 {
            points.append(GeometryFixtures.coordinate(
                Double.random(in: -89.99...89.99, using: &generator), Double.random(in: -180...180, using: &generator)
            ))
        }
        try await TestDatabase.withMigratedDatabase { client in
            for point in points {
                let projection = try LocalProjection(around: point)
                let projected = try projection.project(point)
                let row = try await client.rows("""
                    SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_GeomFromEWKT(\(WKT.point(point))), \(projection.zone.epsg)::int) AS p) s
                    """)[0]
                let (x, y) = try row.decode((Double, Double).self)
                #expect(abs(projected.x - x) < 1e-6 && abs(projected.y - y) < 1e-6, "\(point) in EPSG:\(projection.zone.epsg)")

                let back = try projection.unproject(projected)
                #expect(abs(back.latitude - point.latitude) < 1e-9)
                #expect(abs(back.longitude - point.longitude) < 1e-9 || abs(abs(back.longitude - point.longitude) - 360) < 1e-9)
            }
        }
    }
}
