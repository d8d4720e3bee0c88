import Foundation
import GeoCore
import Geometry
import Testing

@Suite(.timeLimit(.minutes(5))) struct AreaIndexTests {
    /// The index answers what testing every area answers: random squares,
    /// squares with holes, circles, areas across ±180° and wide areas, with
    /// points thrown around them and at the antimeridian.
    @Test func theIndexAgreesWithTestingEveryArea() throws {
        var random = SystemRandomNumberGenerator()
        var entries: [AreaIndex.Entry] = []
        for key in 0..<400 {
            let lng = Double.random(in: -180...180, using: &random), lat = Double.random(in: -80...80, using: &random)
            let size = [0.01, 0.2, 3, 40][key % 4]
            let area: FenceArea
            if key % 5 == 0 {
                area = .circle(center: try Coordinate(latitude: lat, longitude: lng), radiusMeters: size * 50_000)
            } else {
                let east = Self.wrap(lng + size), north = min(lat + size, 89)
                var rings = [try Self.ring([(lng, lat), (east, lat), (east, north), (lng, north), (lng, lat)])]
                if key % 3 == 0 {
                    let a = Self.wrap(lng + size / 4), b = Self.wrap(lng + size / 2), low = lat + (north - lat) / 4, high = lat + (north - lat) / 2
                    rings.append(try Self.ring([(a, low), (b, low), (b, high), (a, high), (a, low)]))
                }
                area = .polygons([rings])
            }
            entries.append(.init(area: try PreparedFenceArea(area), value: Int64(key)))
        }
        let index = AreaIndex(entries)
        var found = 0
        for probe in 0..<20_000 {
            let anchor = entries[probe % entries.count].area.bounds
            let lng = probe % 10 == 0 ? [180.0, -180, 179.999, -179.999][probe % 4]
                : Self.wrap(Double.random(in: anchor.minLongitude - 0.5...anchor.maxLongitude + 0.5, using: &random))
            let lat = Double.random(in: max(anchor.minLatitude - 0.5, -90)...min(anchor.maxLatitude + 0.5, 90), using: &random)
            let point = try Coordinate(latitude: lat, longitude: lng)
            let expected = entries.filter { $0.area.contains(point) }.map(\.value)
            #expect(index.values(containing: point) == expected, "\(lat),\(lng)")
            found += expected.count
        }
        #expect(found > 5_000)  // the probes do land inside areas
    }

    private static func wrap(_ x: Double) -> Double { x > 180 ? x - 360 : x < -180 ? x + 360 : x }

    private static func ring(_ points: [(Double, Double)]) throws -> [Coordinate] {
        try points.map { try Coordinate(latitude: $0.1, longitude: $0.0) }
    }
}
