import Foundation
import GeoCore
import Geometry
import Testing
import TestSupport

/// The index must give exactly what a brute-force scan with the exact
/// ellipsoidal distance gives, everywhere on the globe.
@Suite(.timeLimit(.minutes(5))) struct MovingPointIndexTests {
    let geodesic = WGS84Geodesic()

    static func point(near center: (Double, Double), spreadMeters: Double, _ generator: inout SeededGenerator) -> Coordinate {
        RandomPoints.near(center, spreadMeters: spreadMeters, count: 1, using: &generator)[0]
    }

    static func key(_ id: Int) -> PointID { PointID(high: 0, low: UInt64(id)) }

    @Test(arguments: [(-1.95, 30.06), (89.999, 0.0), (-89.99, 100.0), (0.0, 179.999), (-45.0, -179.9999), (60.0, 0.0)])
    func matchesBruteForce(center: (Double, Double)) {
        var generator = SeededGenerator(seed: UInt64(abs(center.0 * 1000 + center.1 * 7)))
        var index = MovingPointIndex()
        var truth: [PointID: (Coordinate, Double)] = [:]
        for id in 0..<2_000 {
            let coordinate = Self.point(near: center, spreadMeters: 4_000, &generator)
            let updatedAt = Double(id % 100)
            index.upsert(Self.key(id), at: coordinate, updatedAt: updatedAt)
            truth[Self.key(id)] = (coordinate, updatedAt)
        }
        // Move a quarter of them, remove a tenth, and send stale updates that must be ignored.
        for id in stride(from: 0, to: 2_000, by: 4) {
            let coordinate = Self.point(near: center, spreadMeters: 4_000, &generator)
            index.upsert(Self.key(id), at: coordinate, updatedAt: 200)
            truth[Self.key(id)] = (coordinate, 200)
            let stale = index.upsert(Self.key(id), at: Self.point(near: center, spreadMeters: 4_000, &generator), updatedAt: 150)
            #expect(stale == false)
        }
        for id in stride(from: 1, to: 2_000, by: 10) {
            let removed = index.remove(Self.key(id))
            #expect(removed)
            truth[Self.key(id)] = nil
        }
        #expect(index.count == truth.count)

        for _ in 0..<300 {
            let query = Self.point(near: center, spreadMeters: 2_000, &generator)
            let radius = Double.random(in: 50...3_000, using: &generator)
            // Small limits, as nearby asks, and large ones, as nearby by road time asks (every driver within the radius).
            let limit = Bool.random(using: &generator) ? Int.random(in: 1...30, using: &generator) : Int.random(in: 31...2_500, using: &generator)
            let since = Bool.random(using: &generator) ? 50.0 : -.infinity
            expectBruteForceAnswer(index, truth, query: query, radius: radius, limit: limit, since: since)
        }
    }

    /// The index's answer is what measuring every point would give.
    private func expectBruteForceAnswer(
        _ index: MovingPointIndex, _ truth: [PointID: (Coordinate, Double)],
        query: Coordinate, radius: Double, limit: Int, since: Double
    ) {
        let expected = truth
            .filter { $0.value.1 >= since }
            .map { (id: $0.key, distance: geodesic.distanceMeters(from: query, to: $0.value.0)) }
            .filter { $0.distance <= radius }
            .sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }
            .prefix(limit)
        let found = index.nearest(to: query, radiusMeters: radius, limit: limit, updatedSince: since) {
            geodesic.distanceMeters(from: $0, to: $1)
        }
        #expect(found.map(\.id) == expected.map(\.id))
        #expect(zip(found, expected).allSatisfy { abs($0.distanceMeters - $1.distance) < 1e-6 })
    }

    /// Points spread thin over the whole globe, searched with radii that span
    /// thousands of cells (read through the coarse grid) and more coarse cells
    /// than are occupied (read by walking those), while points come and go.
    @Test func sparsePointsAndLargeRadii() {
        var generator = SeededGenerator(seed: 11)
        var index = MovingPointIndex()
        var truth: [PointID: (Coordinate, Double)] = [:]
        func anywhere() -> Coordinate {
            try! Coordinate(
                latitude: asin(Double.random(in: -1...1, using: &generator)) * 180 / .pi,
                longitude: Double.random(in: -180...180, using: &generator)
            )
        }
        // A cluster by the ±180° meridian near the pole as well, where the
        // coarse cells' edges and the antimeridian meet.
        for id in 0..<4_000 {
            let coordinate = id % 4 == 0 ? Self.point(near: (85.0, 179.99), spreadMeters: 60_000, &generator) : anywhere()
            index.upsert(Self.key(id), at: coordinate, updatedAt: Double(id % 10))
            truth[Self.key(id)] = (coordinate, Double(id % 10))
        }
        for id in stride(from: 0, to: 4_000, by: 3) {
            let removed = index.remove(Self.key(id))
            #expect(removed)
            truth[Self.key(id)] = nil
        }
        for _ in 0..<150 {
            let query = Bool.random(using: &generator) ? Self.point(near: (85.0, 179.99), spreadMeters: 80_000, &generator) : anywhere()
            let radius = [20_000.0, 50_000, 300_000, 2_000_000].randomElement(using: &generator)!
            expectBruteForceAnswer(index, truth, query: query, radius: radius, limit: Int.random(in: 1...20, using: &generator), since: 3)
        }
    }

    @Test func largeRadiusAndEmptyCases() {
        var index = MovingPointIndex()
        let far = try! Coordinate(latitude: 10, longitude: 10)
        #expect(index.nearest(to: far, radiusMeters: 1_000, limit: 5) { _, _ in 0 }.isEmpty)
        index.upsert(Self.key(1), at: try! Coordinate(latitude: 10.3, longitude: 10), updatedAt: 0)
        // 33 km away: found with a 50 km radius, not with 10 km.
        #expect(index.nearest(to: far, radiusMeters: 50_000, limit: 5) { geodesic.distanceMeters(from: $0, to: $1) }.map(\.id) == [Self.key(1)])
        #expect(index.nearest(to: far, radiusMeters: 10_000, limit: 5) { geodesic.distanceMeters(from: $0, to: $1) }.isEmpty)
        let removed = index.remove(Self.key(1))
        let again = index.remove(Self.key(1))
        #expect(removed && !again)
        #expect(index.count == 0)
    }

    /// Ids are found again after any mix of inserts, moves and removals
    /// (which shift entries in the position table), sequential ids or random.
    @Test(arguments: [false, true])
    func keepsEveryIdThroughInsertsAndRemovals(randomIDs: Bool) {
        var generator = SeededGenerator(seed: randomIDs ? 7 : 8)
        var index = MovingPointIndex()
        var model: [PointID: (Coordinate, Double)] = [:]
        let ids = (0..<3_000).map { n in
            randomIDs ? PointID(high: generator.next(), low: generator.next()) : Self.key(n)
        }
        for step in 0..<40_000 {
            let id = ids[Int.random(in: 0..<(step < 10_000 ? 3_000 : 1_500), using: &generator)]
            if Int.random(in: 0..<3, using: &generator) == 0 {
                #expect(index.remove(id) == (model.removeValue(forKey: id) != nil))
            } else {
                // Sparse enough that cells empty and are reused all the time.
                let coordinate = Self.point(near: (-1.95, 30.06), spreadMeters: 20_000, &generator)
                index.upsert(id, at: coordinate, updatedAt: Double(step))
                model[id] = (coordinate, Double(step))
            }
        }
        #expect(index.count == model.count)
        for id in ids {
            let stored = index.point(for: id)
            #expect(stored?.coordinate == model[id]?.0 && stored?.updatedAt == model[id]?.1)
        }
        for _ in 0..<200 {
            let query = Self.point(near: (-1.95, 30.06), spreadMeters: 20_000, &generator)
            expectBruteForceAnswer(index, model, query: query, radius: Double.random(in: 500...5_000, using: &generator), limit: 20, since: -.infinity)
        }
    }
}
