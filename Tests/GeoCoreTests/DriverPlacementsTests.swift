@testable import GeoCore
import Testing
import TestSupport

/// The search from a pickup among placed drivers against routing every
/// driver to the pickup one by one, on random networks with one-way
/// streets, closed directions, parallel edges, loops and zero costs.
@Suite(.timeLimit(.minutes(5))) struct DriverPlacementsTests {
    private static let corner = Coordinate(uncheckedLatitude: 47.1, longitude: 8.2)

    /// A point somewhere over the 20 × 20 grid of 0.001° (some beyond its last roads).
    private static func somewhere(_ random: inout SeededGenerator) -> Coordinate {
        Coordinate(
            uncheckedLatitude: corner.latitude + Double(random.next() % 2_100) / 100_000,
            longitude: corner.longitude + Double(random.next() % 2_100) / 100_000
        )
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func soonestEqualsRoutingEveryDriver(seed: UInt64) throws {
        let router = RoadRouter(graph: RoadGraph(edges: ContractionHierarchyTests.randomNetwork(seed: seed, side: 20, corner: Self.corner)))
        var random = SeededGenerator(seed: seed)
        var placements = DriverPlacements(router: router)
        var starts: [PointID: RoadEnd] = [:]
        var last: (Coordinate, Double?)?
        func place(_ id: PointID) {
            // A third stand where the driver before did: equal times, ranked by id.
            let (position, heading) = last.flatMap { random.next() % 3 == 0 ? $0 : nil }
                ?? (Self.somewhere(&random), random.next() % 2 == 0 ? Double(random.next() % 360) : nil)
            last = (position, heading)
            if let start = router.driverStart(at: position, heading: heading, maximumSnapMeters: 30) {
                placements.place(id, at: start)
                starts[id] = start
            } else {
                placements.remove(id)
                starts[id] = nil
            }
        }
        let ids = (0..<300).map { _ in PointID(high: random.next(), low: random.next()) }
        ids.forEach(place)
        // Moved twice (the second place replaces the first), and some removed.
        for id in ids.prefix(100) { place(id) }
        for id in ids.suffix(30) {
            placements.remove(id)
            starts[id] = nil
        }
        #expect(placements.count == starts.count)
        let refused = Set(ids.filter { $0.low % 5 == 0 })
        var scan = DijkstraSearch(vertexCount: router.graph.vertexCount)
        var compared = 0
        for _ in 0..<40 {
            guard let pickup = router.snap(Self.somewhere(&random), maximumDistanceMeters: 100) else { continue }
            let limit = [1, 3, 10][Int(random.next() % 3)]
            var expected: [(id: PointID, duration: Double, distance: Double)] = []
            for (id, start) in starts where !refused.contains(id) {
                if let route = try? router.route(from: start, to: pickup) { expected.append((id, route.durationSeconds, route.distanceMeters)) }
            }
            expected.sort { ($0.duration, $0.id) < ($1.duration, $1.id) }
            var asked = Set<PointID>()
            guard let found = placements.soonest(to: pickup, limit: limit, maximumSettled: .max, scratch: &scan, admit: { id in
                #expect(asked.insert(id).inserted, "asked once per driver")
                return !refused.contains(id)
            }) else {
                Issue.record("no answer without a bound")
                continue
            }
            #expect(found.arrivals.count == min(limit, expected.count))
            // Drivers by id as well, unless two times differ by rounding alone (different routes).
            let nearTies = zip(expected, expected.dropFirst()).contains { $0.duration != $1.duration && abs($0.duration - $1.duration) < 1e-9 }
            if !nearTies { #expect(found.arrivals.map(\.id) == expected.prefix(limit).map(\.id)) }
            let byID = Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0) })
            for (arrival, want) in zip(found.arrivals, expected) {
                // Position by position the times agree, and each driver's is its own route's (lengths here are ten times costs).
                #expect(abs(arrival.durationSeconds - want.duration) <= 1e-9 * max(1, want.duration), "\(arrival) vs \(want)")
                let own = try #require(byID[arrival.id], "a driver refused or unplaced was returned")
                #expect(abs(arrival.durationSeconds - own.duration) <= 1e-9 * max(1, own.duration))
                #expect(abs(arrival.distanceMeters - own.distance) <= 1e-6 * max(1, own.distance))
            }
            compared += 1
        }
        #expect(compared > 20)
    }

    @Test func aSearchBeyondItsBoundGivesUp() throws {
        let router = RoadRouter(graph: RoadGraph(edges: ContractionHierarchyTests.randomNetwork(seed: 14, side: 20, corner: Self.corner)))
        let placements = DriverPlacements(router: router)
        var scan = DijkstraSearch(vertexCount: router.graph.vertexCount)
        let pickup = try #require(router.snap(Self.corner, maximumDistanceMeters: 100))
        // No driver at all: the search runs on until the bound.
        #expect(placements.soonest(to: pickup, limit: 1, maximumSettled: 10, scratch: &scan) { _ in true } == nil)
        #expect(placements.soonest(to: pickup, limit: 1, maximumSettled: .max, scratch: &scan) { _ in true }?.arrivals.isEmpty == true)
    }
}
