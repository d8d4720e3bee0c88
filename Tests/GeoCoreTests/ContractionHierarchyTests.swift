@testable import GeoCore
import Testing
import TestSupport

/// The hierarchy's answers against plain bidirectional Dijkstra on the same
/// graph, on random grid-like networks with one-way streets, closed
/// directions, parallel edges, self-loops and zero costs: shapes the two
/// extracts may not have.
@Suite(.timeLimit(.minutes(5))) struct ContractionHierarchyTests {
    /// The graph of `edges`, its router, the plain-Dijkstra oracle, and a generator seeded from `seed`.
    static func withOracle(_ edges: [RoadEdge], seed: UInt64) -> (RoadGraph, RoadRouter, PlainDijkstra, SeededGenerator) {
        let graph = RoadGraph(edges: edges)
        return (graph, RoadRouter(graph: graph), PlainDijkstra(graph), SeededGenerator(seed: seed * 100))
    }

    /// With `corner`, the vertices lie on a grid of 0.001° from there and the
    /// edges are drawn straight between them; without, edges have no shape.
    static func randomNetwork(seed: UInt64, side: Int, corner: Coordinate? = nil) -> [RoadEdge] {
        var random = SeededGenerator(seed: seed)
        var edges: [RoadEdge] = []
        func vertex(_ x: Int, _ y: Int) -> Int64 { Int64(y * side + x + 1) }
        func place(_ id: Int64) -> [Coordinate] {
            guard let corner else { return [] }
            let (y, x) = Int(id - 1).quotientAndRemainder(dividingBy: side)
            return [Coordinate(uncheckedLatitude: corner.latitude + Double(y) * 0.001, longitude: corner.longitude + Double(x) * 0.001)]
        }
        func add(_ a: Int64, _ b: Int64) {
            let cost = Double(random.next() % 1_000) / 10
            let reverse: Double = switch random.next() % 4 {
            case 0: -1  // one way
            case 1: cost
            default: Double(random.next() % 1_000) / 10
            }
            let id = Int64(edges.count + 1)
            edges.append(RoadEdge(id: id, source: a, target: b, cost: random.next() % 10 == 0 ? -1 : cost, reverseCost: reverse,
                                  lengthMeters: cost * 10, points: place(a) + place(b)))
        }
        for y in 0..<side {
            for x in 0..<side {
                if x + 1 < side { add(vertex(x, y), vertex(x + 1, y)) }
                if y + 1 < side { add(vertex(x, y), vertex(x, y + 1)) }
                if random.next() % 7 == 0, x + 1 < side, y + 1 < side { add(vertex(x, y), vertex(x + 1, y + 1)) }
                if random.next() % 11 == 0, x + 1 < side { add(vertex(x, y), vertex(x + 1, y)) }  // a parallel road
                if random.next() % 13 == 0 { add(vertex(x, y), vertex(x, y)) }  // a loop
            }
        }
        return edges
    }

    /// Routes asked between vertices' coordinates, as a client asks them:
    /// snapped, from and to every edge of each vertex, and costing what plain
    /// Dijkstra finds between the vertices.
    @Test(arguments: [UInt64(4), 5, 6])
    func routesBetweenVertexCoordinatesEqualPlainDijkstra(seed: UInt64) throws {
        let corner = try Coordinate(latitude: 47.1, longitude: 8.2)
        let edges = Self.randomNetwork(seed: seed, side: 20, corner: corner)
        var (graph, router, plain, random) = Self.withOracle(edges, seed: seed)
        var reachable = 0
        for _ in 0..<400 {
            let (source, target) = (graph.vertexIDs.randomElement(using: &random)!, graph.vertexIDs.randomElement(using: &random)!)
            guard source != target else { continue }
            let expected = plain.cost(source, target)
            let at = { (id: Int64) in edges.first { $0.source == id }?.points.first ?? edges.first { $0.target == id }!.points.last! }
            let route = try? router.route(from: at(source), to: at(target), maximumSnapMeters: 50)
            // A vertex whose every edge is closed both ways snaps elsewhere; plain Dijkstra has it unreachable.
            guard expected != nil || route == nil else { continue }
            #expect((route == nil) == (expected == nil), "\(source)→\(target)")
            if let route, let expected {
                #expect(abs(route.durationSeconds - expected) <= 1e-9 * max(1, expected), "\(source)→\(target): \(route.durationSeconds) vs \(expected)")
                reachable += 1
            }
        }
        #expect(reachable > 100)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func hierarchyAnswersEqualPlainBidirectionalDijkstra(seed: UInt64) {
        var (graph, router, plain, random) = Self.withOracle(Self.randomNetwork(seed: seed, side: 25), seed: seed)
        var reachable = 0
        for _ in 0..<400 {
            let source = graph.vertexIDs.randomElement(using: &random)!
            let target = graph.vertexIDs.randomElement(using: &random)!
            let expected = plain.cost(source, target)
            let found = router.shortestPath(fromVertex: source, toVertex: target)
            #expect((found == nil) == (expected == nil), "\(source)→\(target)")
            if let found, let expected {
                #expect(abs(found.cost - expected) <= 1e-9 * max(1, expected), "\(source)→\(target): \(found.cost) vs \(expected)")
                reachable += 1
            }
        }
        #expect(reachable > 100)
    }

    /// The many-to-many table (buckets on the hierarchy) against plain
    /// Dijkstra and the two-point route for every pair.
    @Test(arguments: [UInt64(7), 8])
    func tableCellsEqualPlainDijkstraAndRoutes(seed: UInt64) throws {
        let corner = try Coordinate(latitude: -33.9, longitude: 151.2)
        let edges = Self.randomNetwork(seed: seed, side: 15, corner: corner)
        let graph = RoadGraph(edges: edges)
        let router = RoadRouter(graph: graph)
        var plain = PlainDijkstra(graph)
        var random = SeededGenerator(seed: seed)
        let vertices = (0..<20).map { _ in graph.vertexIDs.randomElement(using: &random)! }
        let at = { (id: Int64) in edges.first { $0.source == id }?.points.first ?? edges.first { $0.target == id }!.points.last! }
        let ends = vertices.map { router.snap(at($0), maximumDistanceMeters: 1) }
        guard ends.allSatisfy({ $0 != nil }) else { return }
        let table = router.table(from: ends.map { $0! }, to: ends.map { $0! })
        var reachable = 0
        for (i, source) in vertices.enumerated() {
            for (j, target) in vertices.enumerated() {
                let expected = source == target ? 0 : plain.cost(source, target)
                #expect((table.duration(i, j) == nil) == (expected == nil), "\(source)→\(target)")
                guard let found = table.duration(i, j), let expected else { continue }
                #expect(abs(found - expected) <= 1e-9 * max(1, expected), "\(source)→\(target): \(found) vs \(expected)")
                if source != target, let route = try? router.route(from: ends[i]!, to: ends[j]!) {
                    #expect(abs(route.durationSeconds - found) <= 1e-9 * max(1, found))
                }
                reachable += 1
            }
        }
        #expect(reachable > 100)
    }
}

/// The oracle: plain bidirectional Dijkstra on the road graph, between vertex ids.
struct PlainDijkstra {
    private let graph: RoadGraph
    private var search: BidirectionalDijkstra

    init(_ graph: RoadGraph) {
        self.graph = graph
        search = BidirectionalDijkstra(forward: graph.forwardArcs, backward: graph.backwardArcs, hierarchical: false)
    }

    mutating func cost(_ source: Int64, _ target: Int64) -> Double? {
        source == target ? nil : search.search(from: graph.departures(from: source), to: graph.arrivals(at: target))?.cost
    }
}
