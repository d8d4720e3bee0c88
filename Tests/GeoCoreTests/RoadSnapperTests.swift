import GeoCore
import Testing
import TestSupport

/// Snapping against brute force (every segment, densely sampled), on random
/// road networks in a city, across the ±180° meridian and near a pole.
@Suite(.timeLimit(.minutes(5))) struct RoadSnapperTests {
    static func network(around center: Coordinate, spanDegrees: Double, seed: UInt64) throws -> [RoadEdge] {
        var random = SeededGenerator(seed: seed)
        func point() throws -> Coordinate {
            var longitude = center.longitude + .random(in: -spanDegrees...spanDegrees, using: &random)
            if longitude > 180 { longitude -= 360 } else if longitude < -180 { longitude += 360 }
            return try Coordinate(latitude: min(90, max(-90, center.latitude + .random(in: -spanDegrees...spanDegrees, using: &random) / 4)),
                                  longitude: longitude)
        }
        var edges: [RoadEdge] = []
        for index in 0..<300 {
            var points: [Coordinate] = []
            for _ in 0..<Int.random(in: 2...4, using: &random) { points.append(try point()) }
            let id = Int64(index)
            edges.append(RoadEdge(id: id, source: 2 * id, target: 2 * id + 1, cost: 1, reverseCost: 1, lengthMeters: 1, points: points))
        }
        return edges
    }

    static func bruteForce(_ point: Coordinate, _ edges: [RoadEdge]) -> Double {
        var best = Double.infinity
        for edge in edges {
            for (from, to) in zip(edge.points, edge.points.dropFirst()) {
                var east = to.longitude - from.longitude
                if east > 180 { east -= 360 } else if east < -180 { east += 360 }
                for step in 0...2_000 {
                    let t = Double(step) / 2_000
                    var longitude = from.longitude + t * east
                    if longitude > 180 { longitude -= 360 } else if longitude < -180 { longitude += 360 }
                    let sample = try! Coordinate(latitude: from.latitude + t * (to.latitude - from.latitude), longitude: longitude)
                    best = min(best, point.sphericalDistance(to: sample))
                }
            }
        }
        return best
    }

    @Test(arguments: [(43.73, 7.42), (-16.5, 179.999), (84.9, 20.0)])
    func nearestPointMatchesBruteForce(latitude: Double, longitude: Double) throws {
        let center = try Coordinate(latitude: latitude, longitude: longitude)
        let edges = try Self.network(around: center, spanDegrees: 0.02, seed: 3)
        let router = RoadRouter(graph: RoadGraph(edges: edges))
        var random = SeededGenerator(seed: 9)
        var found = 0
        for _ in 0..<40 {
            var queryLongitude = longitude + .random(in: -0.025...0.025, using: &random)
            if queryLongitude > 180 { queryLongitude -= 360 }
            let query = try Coordinate(latitude: latitude + .random(in: -0.006...0.006, using: &random), longitude: queryLongitude)
            let expected = Self.bruteForce(query, edges)
            let snap = router.snap(query, maximumDistanceMeters: 500)
            if expected <= 495 {
                let distance = try #require(snap?.distanceMeters, "\(query): a road is \(expected) m away")
                // Brute force samples every ~2 m; the snapper measures in a tangent plane.
                #expect(abs(distance - expected) < max(1.5, 0.005 * expected), "\(query): \(distance) vs \(expected)")
                found += 1
            } else if expected > 505 {
                #expect(snap == nil, "\(query): nearest road is \(expected) m away")
            }
        }
        #expect(found > 15)
    }
}
