import Synchronization

/// Routes on an in-memory road network: snap both ends to the nearest open
/// edge, search between the partial edges' vertices, and assemble distance,
/// duration and shape, cutting the first and last edges at the snapped points.
public final class RoadRouter: Sendable {
    public let graph: RoadGraph
    private let snapper: RoadSnapper
    private let hierarchy: ContractionHierarchy
    /// Search objects are reused (their scratch arrays are graph-sized); each
    /// serves one search at a time.
    private let searches: Mutex<[BidirectionalDijkstra]> = Mutex([])

    public init(graph: RoadGraph) {
        self.graph = graph
        self.snapper = RoadSnapper(graph: graph)
        self.hierarchy = ContractionHierarchy(graph: graph)
    }

    public func snap(_ point: Coordinate, maximumDistanceMeters: Double) -> RoadSnap? {
        snapper.snap(point, maximumDistanceMeters: maximumDistanceMeters)
    }

    public func route(from origin: Coordinate, to destination: Coordinate, maximumSnapMeters: Double) throws(RouteError) -> Route {
        guard let start = snap(origin, maximumDistanceMeters: maximumSnapMeters) else {
            throw .noSegment(index: 0, maximumDistanceMeters: maximumSnapMeters)
        }
        guard let end = snap(destination, maximumDistanceMeters: maximumSnapMeters) else {
            throw .noSegment(index: 1, maximumDistanceMeters: maximumSnapMeters)
        }
        return try route(from: start, to: end)
    }

    public func route(from start: RoadSnap, to end: RoadSnap) throws(RouteError) -> Route {
        let origins = originSeeds(start)
        let destinations = destinationSeeds(end)
        let found = withSearch { $0.search(from: origins.map(\.seed), to: destinations.map(\.seed)) }
        let direct = directCost(start, end)
        if let direct, direct <= found?.cost ?? .infinity {
            return assembleDirect(start, end, cost: direct)
        }
        guard let found else { throw .noRoute }
        return assemble(found, start, end, origins: origins, destinations: destinations)
    }

    /// The cheapest path between two vertices of the `ways` tables, as
    /// pgRouting's `pgr_dijkstra` answers it: its cost and the edges taken (id,
    /// and whether against the drawing direction); nil when none joins them.
    public func shortestPath(fromVertex source: Int64, toVertex target: Int64) -> (cost: Double, edges: [(id: Int64, reversed: Bool)])? {
        guard let from = graph.vertex(source), let to = graph.vertex(target) else { return nil }
        guard let found = withSearch({ $0.search(from: [SearchSeed(vertex: from, cost: 0)], to: [SearchSeed(vertex: to, cost: 0)]) }) else {
            return nil
        }
        return (found.cost, roadVias(found).map { (graph.edges[Int($0 >> 1)].id, $0 & 1 == 1) })
    }

    /// The road arcs a search result stands for, shortcuts unpacked.
    private func roadVias(_ found: SearchResult) -> [Int32] {
        var vias: [Int32] = []
        for arc in found.labels { hierarchy.unpack(arc, into: &vias) }
        return vias
    }

    private func withSearch<Result>(_ body: (inout BidirectionalDijkstra) -> Result) -> Result {
        var search = searches.withLock { $0.popLast() }
            ?? BidirectionalDijkstra(forward: hierarchy.upwardArcs, backward: hierarchy.downwardArcs, hierarchical: true)
        defer { searches.withLock { $0.append(search) } }
        return body(&search)
    }

    /// Leaving the snapped point: towards the edge's target at the rest of its
    /// forward cost, or back to its source at the part of its reverse cost.
    private func originSeeds(_ snap: RoadSnap) -> [DirectedSeed] {
        let edge = graph.edges[Int(snap.edge)]
        var seeds: [DirectedSeed] = []
        if edge.isOpenForward { seeds.append(DirectedSeed(vertex: graph.edgeTarget[Int(snap.edge)], cost: (1 - snap.fraction) * edge.cost, forward: true)) }
        if edge.isOpenBackward { seeds.append(DirectedSeed(vertex: graph.edgeSource[Int(snap.edge)], cost: snap.fraction * edge.reverseCost, forward: false)) }
        return seeds
    }

    /// Arriving at the snapped point: from the edge's source going forward, or
    /// from its target going backward.
    private func destinationSeeds(_ snap: RoadSnap) -> [DirectedSeed] {
        let edge = graph.edges[Int(snap.edge)]
        var seeds: [DirectedSeed] = []
        if edge.isOpenForward { seeds.append(DirectedSeed(vertex: graph.edgeSource[Int(snap.edge)], cost: snap.fraction * edge.cost, forward: true)) }
        if edge.isOpenBackward { seeds.append(DirectedSeed(vertex: graph.edgeTarget[Int(snap.edge)], cost: (1 - snap.fraction) * edge.reverseCost, forward: false)) }
        return seeds
    }

    /// Both ends on one edge, the destination ahead in an open direction.
    private func directCost(_ start: RoadSnap, _ end: RoadSnap) -> Double? {
        guard start.edge == end.edge else { return nil }
        let edge = graph.edges[Int(start.edge)]
        if end.fraction >= start.fraction, edge.isOpenForward { return (end.fraction - start.fraction) * edge.cost }
        if end.fraction <= start.fraction, edge.isOpenBackward { return (start.fraction - end.fraction) * edge.reverseCost }
        return nil
    }

    private func assembleDirect(_ start: RoadSnap, _ end: RoadSnap, cost: Double) -> Route {
        let edge = graph.edges[Int(start.edge)]
        var coordinates = [start.point]
        if end.fraction >= start.fraction, edge.isOpenForward {
            if end.segment > start.segment { coordinates += edge.points[(start.segment + 1)...end.segment] }
        } else if start.segment > end.segment {
            coordinates += edge.points[(end.segment + 1)...start.segment].reversed()
        }
        coordinates.append(end.point)
        return Route(
            durationSeconds: cost, distanceMeters: abs(end.fraction - start.fraction) * edge.lengthMeters,
            coordinates: Self.withoutRepeats(coordinates), origin: start, destination: end
        )
    }

    private func assemble(
        _ found: SearchResult, _ start: RoadSnap, _ end: RoadSnap, origins: [DirectedSeed], destinations: [DirectedSeed]
    ) -> Route {
        let first = graph.edges[Int(start.edge)]
        let last = graph.edges[Int(end.edge)]
        // The search keeps the cheapest seed at a vertex; a loop edge offers two.
        let leaveForward = origins.filter { $0.seed.vertex == found.origin }.min { $0.seed.cost < $1.seed.cost }?.forward ?? true
        let arriveForward = destinations.filter { $0.seed.vertex == found.destination }.min { $0.seed.cost < $1.seed.cost }?.forward ?? true

        var coordinates = [start.point]
        var distance = 0.0
        if leaveForward {
            coordinates += first.points[(start.segment + 1)...]
            distance += (1 - start.fraction) * first.lengthMeters
        } else {
            coordinates += first.points[...start.segment].reversed()
            distance += start.fraction * first.lengthMeters
        }
        for via in roadVias(found) {
            let edge = graph.edges[Int(via >> 1)]
            coordinates += via & 1 == 0 ? edge.points.dropFirst() : edge.points.reversed().dropFirst()
            distance += edge.lengthMeters
        }
        if arriveForward {
            coordinates += last.points[1..<(end.segment + 1)]
            distance += end.fraction * last.lengthMeters
        } else {
            coordinates += last.points[(end.segment + 1)...].reversed().dropFirst()
            distance += (1 - end.fraction) * last.lengthMeters
        }
        coordinates.append(end.point)
        return Route(durationSeconds: found.cost, distanceMeters: distance, coordinates: Self.withoutRepeats(coordinates), origin: start, destination: end)
    }
}

extension RoadRouter {
    /// A snapped point on a vertex repeats the vertex; a line should not.
    /// A route between two equal points keeps both, so it stays a line.
    static func withoutRepeats(_ coordinates: [Coordinate]) -> [Coordinate] {
        var kept: [Coordinate] = []
        kept.reserveCapacity(coordinates.count)
        for coordinate in coordinates where coordinate != kept.last { kept.append(coordinate) }
        if kept.count == 1 { kept.append(kept[0]) }
        return kept
    }
}

/// A seed and which way along its snapped edge it travels.
private struct DirectedSeed {
    let seed: SearchSeed
    let forward: Bool

    init(vertex: Int32, cost: Double, forward: Bool) {
        seed = SearchSeed(vertex: vertex, cost: cost)
        self.forward = forward
    }
}
