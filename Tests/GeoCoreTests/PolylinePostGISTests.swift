import GeoCore
import PostgresNIO
import Testing
import TestSupport

/// The codec must agree with PostGIS `ST_AsEncodedPolyline` and
/// `ST_LineFromEncodedPolyline` on thousands of random lines.
@Suite(.timeLimit(.minutes(5))) struct PolylinePostGISTests {
    @Test(arguments: [5, 6])
    func agreesWithPostGIS(precision: Int) async throws {
        var generator = SeededGenerator(seed: UInt64(precision))
        let lines: [[Coordinate]] = (0..<2_000).map { _ in
            (0..<Int.random(in: 2...30, using: &generator)).map { _ in
                try! Coordinate(latitude: .random(in: -90...90, using: &generator), longitude: .random(in: -180...180, using: &generator))
            }
        }
        try await TestDatabase.withMigratedDatabase { client in
            let rows = try await client.rows("""
                SELECT ST_AsEncodedPolyline(ST_GeomFromEWKT(w), \(precision)::int) FROM unnest(\(lines.map(WKT.lineString))::text[])
                WITH ORDINALITY AS t(w, n) ORDER BY n
                """)
            let theirs = try rows.map { try $0.decode(String.self) }
            let ours = try lines.map { try Polyline.encode($0, precision: precision) }
            #expect(theirs.count == ours.count)
            let mismatches = zip(ours, theirs).filter { $0 != $1 }.count
            #expect(mismatches == 0, "\(mismatches) of \(ours.count) encodings differ from PostGIS")

            // Our decoding of PostGIS's strings, encoded again by PostGIS, gives
            // the same strings. (PostGIS's own decoder, ST_LineFromEncodedPolyline,
            // is no reference: it accumulates in single precision and was seen
            // off by more than one unit, 94.95885 for 94.95886.)
            let decoded = try theirs.map { try Polyline.decode($0, precision: precision) }
            let reencoded = try await client.rows("""
                SELECT ST_AsEncodedPolyline(ST_GeomFromEWKT(w), \(precision)::int) FROM unnest(\(decoded.map(WKT.lineString))::text[])
                WITH ORDINALITY AS t(w, n) ORDER BY n
                """).map { try $0.decode(String.self) }
            #expect(reencoded == theirs)
        }
    }
}
