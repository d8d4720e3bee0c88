import GeoCore
import Geometry
import Testing
import TestSupport

/// Filters apply inside the k-nearest search: the index answers what
/// filtering every point and then taking the k nearest would.
@Suite(.timeLimit(.minutes(5))) struct AttributeFilterIndexTests {
    let geodesic = WGS84Geodesic()

    static func key(_ id: Int) -> PointID { PointID(high: 0, low: UInt64(id)) }

    @Test(arguments: [(-1.95, 30.06), (89.999, 0.0), (0.0, 179.999)])
    func matchesFilteringEveryPoint(center: (Double, Double)) {
        var generator = SeededGenerator(seed: UInt64(abs(center.0 * 100 + center.1)))
        var index = MovingPointIndex()
        var truth: [PointID: (coordinate: Coordinate, attributes: Attributes)] = [:]
        for id in 0..<2_000 {
            let coordinate = RandomPoints.near(center, spreadMeters: 3_000, count: 1, using: &generator)[0]
            let attributes = RandomAttributes.attributes(using: &generator)
            index.upsert(Self.key(id), at: coordinate, updatedAt: 1, attributes: attributes)
            truth[Self.key(id)] = (coordinate, attributes)
        }
        // Moves without attributes keep them; moves with new ones replace them.
        for id in stride(from: 0, to: 2_000, by: 3) {
            let coordinate = RandomPoints.near(center, spreadMeters: 3_000, count: 1, using: &generator)[0]
            let replaced = id % 2 == 0 ? RandomAttributes.attributes(using: &generator) : nil
            index.upsert(Self.key(id), at: coordinate, updatedAt: 2, attributes: replaced)
            truth[Self.key(id)] = (coordinate, replaced ?? truth[Self.key(id)]!.attributes)
        }
        for id in stride(from: 0, to: 2_000, by: 5) {
            index.remove(Self.key(id))
            truth[Self.key(id)] = nil
        }
        for _ in 0..<400 {
            let query = RandomPoints.near(center, spreadMeters: 2_000, count: 1, using: &generator)[0]
            let radius = Double.random(in: 100...3_000, using: &generator)
            let limit = Int.random(in: 1...40, using: &generator)
            let filter = RandomAttributes.filter(using: &generator)
            let expected = truth
                .filter { filter.matches($0.value.attributes) }
                .map { (id: $0.key, distance: geodesic.distanceMeters(from: query, to: $0.value.coordinate)) }
                .filter { $0.distance <= radius }
                .sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }
                .prefix(limit)
            let found = index.nearest(to: query, radiusMeters: radius, limit: limit, filter: filter) {
                geodesic.distanceMeters(from: $0, to: $1)
            }
            #expect(found.map(\.id) == expected.map(\.id), "filter \(filter)")
            #expect(found.allSatisfy { $0.attributes == truth[$0.id]?.attributes })
        }
    }

    /// Drivers sharing attributes share one stored set, and a set nobody
    /// holds any more is let go.
    @Test func setsAreSharedAndFreed() throws {
        var index = MovingPointIndex()
        let here = try Coordinate(latitude: 10, longitude: 10)
        let available = Attributes([.init(name: "status", value: .string("available"))])
        let busy = Attributes([.init(name: "status", value: .string("busy"))])
        for id in 0..<1_000 { index.upsert(Self.key(id), at: here, updatedAt: 1, attributes: available) }
        #expect(index.attributeSetCount == 1)
        for id in 0..<10 { index.upsert(Self.key(id), at: here, updatedAt: 2, attributes: Attributes([.init(name: "id", value: .number(Double(id)))])) }
        #expect(index.attributeSetCount == 11)
        for id in 0..<10 { index.upsert(Self.key(id), at: here, updatedAt: 3, attributes: busy) }
        #expect(index.attributeSetCount == 2)
        for id in 0..<1_000 { index.remove(Self.key(id)) }
        #expect(index.attributeSetCount == 0)
        index.upsert(Self.key(1), at: here, updatedAt: 4)
        #expect(index.point(for: Self.key(1))?.attributes == Attributes.empty)
    }
}
