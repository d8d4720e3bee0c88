import GeoCore
import Geometry
import PostgresNIO
import Testing
import TestSupport

/// Simplification in metres must match PostGIS: project to the same zone,
/// `ST_Simplify` with the same tolerance, project back.
@Suite(.timeLimit(.minutes(5))) struct LineSimplifierTests {
    let simplifier = LineSimplifier()

    @Test func rejectsBadInput() {
        let point = GeometryFixtures.coordinate(0, 0)
        #expect(throws: GeometryError.tooFewPoints(1)) { try simplifier.simplify([point], toleranceMeters: 1) }
        #expect(throws: GeometryError.invalidTolerance(-1)) { try simplifier.simplify([point, point], toleranceMeters: -1) }
        let error = #expect(throws: GeometryError.self) { try simplifier.simplify([point, point], toleranceMeters: .nan) }
        guard case .invalidTolerance(let tolerance) = error else {
            Issue.record("expected invalidTolerance, got \(String(describing: error))")
            return
        }
        #expect(tolerance.isNaN)
    }

    @Test func dropsCollinearVerticesAndKeepsEnds() throws {
        let line = (0...10).map { GeometryFixtures.coordinate(0, Double($0) * 0.001) }
        let simple = try simplifier.simplify(line, toleranceMeters: 1)
        // The input's own points, exactly: no projection round trip on them.
        #expect(simple == [line[0], line[10]])
    }

    @Test func keepsTheInputsOwnPointsInOrder() throws {
        var generator = SeededGenerator(seed: 7)
        for index in 0..<60 {
            let line = GeometryFixtures.randomWalk(count: 20 + index, stepMeters: 25, using: &generator)
            let simple = try simplifier.simplify(line, toleranceMeters: [2.0, 10, 50][index % 3])
            var rest = line[...]
            for point in simple {
                guard let found = rest.firstIndex(of: point) else {
                    Issue.record("\(point) is not one of the input's points after the previous one")
                    break
                }
                rest = line[(found + 1)...]
            }
            #expect(simple.first == line.first && simple.last == line.last)
        }
    }

    @Test func simplificationMatchesPostGIS() async throws {
        var generator = SeededGenerator(seed: 99)
        var cases: [([Coordinate], Double)] = GeometryFixtures.realLines.map { ($0, 20) }
        for index in 0..<120 {
            let line = GeometryFixtures.randomWalk(count: 10 + index % 40, stepMeters: 30, using: &generator)
            cases.append((line, [1.0, 5, 20, 100][index % 4]))
        }
        try await TestDatabase.withMigratedDatabase { client in
            for (line, tolerance) in cases {
                let projection = try LocalProjection(around: line[line.count / 2])
                let ours = try simplifier.simplify(line, toleranceMeters: tolerance, projection: projection)
                let rows = try await client.rows("""
                    SELECT ST_Y(g), ST_X(g) FROM ST_DumpPoints(
                      ST_Transform(ST_Simplify(ST_Transform(ST_GeomFromEWKT(\(WKT.lineString(line))), \(projection.zone.epsg)::int), \(tolerance)), 4326)
                    ) AS d(path, g) ORDER BY path
                    """)
                let theirs = try rows.map { try $0.decode((Double, Double).self) }
                #expect(ours.count == theirs.count, "\(line.count) points, tolerance \(tolerance) m")
                for (a, b) in zip(ours, theirs) {
                    #expect(abs(a.latitude - b.0) < 1e-9 && abs(a.longitude - b.1) < 1e-9)
                }
            }
        }
    }
}
