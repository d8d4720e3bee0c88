import Synchronization

/// Routes on an in-memory road network: snap both ends to the nearest open
/// edge, search between the partial edges' vertices, and assemble distance,
/// duration and shape, cutting the first and last edges at the snapped points.
public final class RoadRouter: Sendable {
    public let graph: RoadGraph
    private let snapper: RoadSnapper
    let hierarchy: ContractionHierarchy
    /// Search objects are reused (their scratch arrays are graph-sized); each
    /// serves one search at a time.
    private let searches: Mutex<[BidirectionalDijkstra]> = Mutex([])
    private let upwardSearches: Mutex<[DijkstraSearch]> = Mutex([])

    /// The fastest any open edge is travelled, in metres (of its stated
    /// length or of its shape, whichever is longer) per second of cost:
    /// no route covers ground faster, so a straight-line distance over it
    /// bounds a travel time from below. Infinite when some edge costs nothing.
    public let fastestMetersPerSecond: Double

    public init(graph: RoadGraph) {
        self.graph = graph
        self.snapper = RoadSnapper(graph: graph)
        self.hierarchy = ContractionHierarchy(graph: graph)
        fastestMetersPerSecond = graph.edges.reduce(0) { fastest, edge in
            let shape = zip(edge.points, edge.points.dropFirst()).reduce(0) { $0 + $1.0.sphericalDistance(to: $1.1) }
            let length = max(edge.lengthMeters, shape)
            let costs = [edge.cost, edge.reverseCost].filter { $0 >= 0 && $0.isFinite }
            return costs.reduce(fastest) { max($0, $1 > 0 ? length / $1 : (length > 0 ? .infinity : 0)) }
        }
    }

    public func snap(_ point: Coordinate, maximumDistanceMeters: Double) -> RoadEnd? {
        snapper.snap(point, maximumDistanceMeters: maximumDistanceMeters)
    }

    /// Where requested point `index` meets the network under its rule: the
    /// one snapping path of routes, tables and the route service.
    public func end(_ point: Coordinate, index: Int, rule: EndRule = .none, maximumSnapMeters: Double) throws(RouteError) -> RoadEnd {
        let limit = min(rule.radiusMeters ?? .infinity, maximumSnapMeters)
        guard let end = snapper.snap(point, maximumDistanceMeters: limit, bearing: rule.bearing, curb: rule.curb) else {
            throw .noSegment(index: index, maximumDistanceMeters: limit)
        }
        return end
    }

    public func nearest(_ point: Coordinate, count: Int, rule: EndRule = .none, maximumSnapMeters: Double) -> [RoadSnap] {
        snapper.nearest(point, count: count, maximumDistanceMeters: min(rule.radiusMeters ?? .infinity, maximumSnapMeters), bearing: rule.bearing)
    }

    /// The `ways` vertex ids at an edge's ends (source, target).
    public func vertexIDs(of edge: Int32) -> (source: Int64, target: Int64) {
        (graph.edges[Int(edge)].source, graph.edges[Int(edge)].target)
    }

    public func route(from origin: Coordinate, to destination: Coordinate, maximumSnapMeters: Double) throws(RouteError) -> Route {
        try route(
            from: end(origin, index: 0, maximumSnapMeters: maximumSnapMeters),
            to: end(destination, index: 1, maximumSnapMeters: maximumSnapMeters)
        )
    }

    /// The cheapest route from any of `start`'s snaps to any of `end`'s: one
    /// search seeded from all of them at once, and the paths along one edge.
    public func route(from start: RoadEnd, to end: RoadEnd) throws(RouteError) -> Route {
        let origins = start.snaps.flatMap(originSeeds)
        let destinations = end.snaps.flatMap(destinationSeeds)
        let found = withSearch { $0.search(from: origins.map(\.seed), to: destinations.map(\.seed)) }
        var direct: (cost: Double, forward: Bool, start: RoadSnap, end: RoadSnap)?
        for from in start.snaps {
            for to in end.snaps {
                if let way = directCost(from, to), way.cost < direct?.cost ?? .infinity { direct = (way.cost, way.forward, from, to) }
            }
        }
        if let direct, direct.cost <= found?.cost ?? .infinity {
            return assembleDirect(direct.start, direct.end, cost: direct.cost, forward: direct.forward)
        }
        guard let found else { throw .noRoute }
        return assemble(found, origins: origins, destinations: destinations)
    }

    /// The cheapest path between two vertices of the `ways` tables, as
    /// pgRouting's `pgr_trsp` answers it on the import's restrictions (and
    /// `pgr_dijkstra` where no turn costs anything): its cost (weight, as
    /// pgRouting's, restricted entries included) and the edges
    /// taken (id, and whether against the drawing direction); nil when none
    /// joins them. The same vertex twice is no path.
    public func shortestPath(fromVertex source: Int64, toVertex target: Int64) -> (cost: Double, edges: [(id: Int64, reversed: Bool)])? {
        guard source != target, let found = withSearch({ $0.search(from: graph.departures(from: source), to: graph.arrivals(at: target)) }) else {
            return nil
        }
        // The first road arc is where the search began; the labels are the arcs entered after it.
        var vias = [found.origin]
        for arc in found.labels { hierarchy.unpack(arc, into: &vias) }
        return (found.cost, vias.map { (graph.edges[Int($0 >> 1)].id, $0 & 1 == 1) })
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

    func withUpwardSearch<Result>(_ body: (inout DijkstraSearch) -> Result) -> Result {
        var search = upwardSearches.withLock { $0.popLast() } ?? DijkstraSearch(vertexCount: graph.vertexCount)
        defer { upwardSearches.withLock { $0.append(search) } }
        return body(&search)
    }

    /// Leaving the snapped point: along the edge's forward arc to its target
    /// at the rest of its cost, or along its backward arc to its source at the
    /// part of its reverse cost.
    func originSeeds(_ snap: RoadSnap) -> [DirectedSeed] {
        let edge = graph.edges[Int(snap.edge)]
        var seeds: [DirectedSeed] = []
        if edge.isOpenForward, snap.travel.contains(.forward) {
            seeds.append(DirectedSeed(snap.edge << 1, (1 - snap.fraction) * edge.cost, (1 - snap.fraction) * edge.lengthMeters, snap, forward: true))
        }
        if edge.isOpenBackward, snap.travel.contains(.backward) {
            seeds.append(DirectedSeed(snap.edge << 1 | 1, snap.fraction * edge.reverseCost, snap.fraction * edge.lengthMeters, snap, forward: false))
        }
        return seeds
    }

    /// Arriving at the snapped point: from every road arc (or copy) that may
    /// turn onto the edge's arc or a copy of it (forward from its source, or
    /// backward from its target), at that turn's cost plus the part of the
    /// edge up to the point.
    func destinationSeeds(_ snap: RoadSnap) -> [DirectedSeed] {
        let edge = graph.edges[Int(snap.edge)]
        var seeds: [DirectedSeed] = []
        func arriving(by arc: Int32, share: Double, forward: Bool) {
            let arcCost = graph.roadArcCost(arc)
            let into = graph.backwardArcs
            func turnsInto(_ vertex: Int) {
                for turn in Int(into.start[vertex])..<Int(into.start[vertex + 1]) {
                    let turnCost = into.cost[turn] - arcCost
                    seeds.append(DirectedSeed(into.other[turn], turnCost + share * arcCost, share * edge.lengthMeters, snap, forward: forward))
                }
            }
            turnsInto(Int(arc))
            for copy in graph.copies(of: arc) { turnsInto(Int(copy)) }
        }
        if edge.isOpenForward, snap.travel.contains(.forward) { arriving(by: snap.edge << 1, share: snap.fraction, forward: true) }
        if edge.isOpenBackward, snap.travel.contains(.backward) { arriving(by: snap.edge << 1 | 1, share: 1 - snap.fraction, forward: false) }
        return seeds
    }

    /// Both ends on one edge, the destination ahead in a direction open to
    /// both: the cost along it, and whether that is the drawing direction.
    func directCost(_ start: RoadSnap, _ end: RoadSnap) -> (cost: Double, forward: Bool)? {
        guard start.edge == end.edge else { return nil }
        let edge = graph.edges[Int(start.edge)]
        let forward = edge.isOpenForward && start.travel.contains(.forward) && end.travel.contains(.forward)
        let backward = edge.isOpenBackward && start.travel.contains(.backward) && end.travel.contains(.backward)
        if end.fraction >= start.fraction, forward { return ((end.fraction - start.fraction) * edge.cost, true) }
        if end.fraction <= start.fraction, backward { return ((start.fraction - end.fraction) * edge.reverseCost, false) }
        return nil
    }

    private func assembleDirect(_ start: RoadSnap, _ end: RoadSnap, cost: Double, forward: Bool) -> Route {
        let edge = graph.edges[Int(start.edge)]
        var coordinates = [start.point]
        if forward {
            if end.segment > start.segment { coordinates += edge.points[(start.segment + 1)...end.segment] }
        } else if start.segment > end.segment {
            coordinates += edge.points[(end.segment + 1)...start.segment].reversed()
        }
        coordinates.append(end.point)
        let distance = abs(end.fraction - start.fraction) * edge.lengthMeters
        // The piece keeps every point (one per segment end), so that its points map to the edge's.
        let piece = RoutePiece(
            edge: start.edge, durationSeconds: cost, distanceMeters: distance, coordinates: coordinates,
            forward: forward, firstPoint: forward ? start.segment : edge.points.count - 2 - start.segment
        )
        return Route(
            durationSeconds: cost, distanceMeters: distance, coordinates: Self.withoutRepeats(coordinates), origin: start, destination: end,
            pieces: [piece]
        )
    }

    private func assemble(_ found: SearchResult, origins: [DirectedSeed], destinations: [DirectedSeed]) -> Route {
        // The search keeps the cheapest seed at a vertex: that one is the way
        // the route left (or reached) its end. Several edges, or a loop edge, offer more than one.
        let leaving = origins.filter { $0.seed.vertex == found.origin }.min { $0.seed.cost < $1.seed.cost } ?? origins[0]
        let arriving = destinations.filter { $0.seed.vertex == found.destination }.min { $0.seed.cost < $1.seed.cost } ?? destinations[0]
        let (start, end) = (leaving.snap, arriving.snap)
        let (leaveForward, arriveForward) = (leaving.forward, arriving.forward)
        let first = graph.edges[Int(start.edge)]
        let last = graph.edges[Int(end.edge)]

        var pieces: [RoutePiece] = []
        func add(_ edge: Int32, _ duration: Double, _ distance: Double, _ shape: [Coordinate], forward: Bool, firstPoint: Int = 0) {
            pieces.append(RoutePiece(edge: edge, durationSeconds: duration, distanceMeters: distance, coordinates: shape, forward: forward, firstPoint: firstPoint))
        }
        if leaveForward {
            add(start.edge, leaving.seed.cost, (1 - start.fraction) * first.lengthMeters, [start.point] + first.points[(start.segment + 1)...],
                forward: true, firstPoint: start.segment)
        } else {
            add(start.edge, leaving.seed.cost, start.fraction * first.lengthMeters, [start.point] + first.points[...start.segment].reversed(),
                forward: false, firstPoint: first.points.count - 2 - start.segment)
        }
        // Each edge between the ends costs its turn onto it and its travel time.
        var previous = found.origin
        for via in roadVias(found) {
            let edge = graph.edges[Int(via >> 1)]
            let forward = via & 1 == 0
            let cost = graph.turnArcCost(from: previous, to: via) ?? graph.roadArcCost(via)
            add(via >> 1, RoadTurn.seconds(ofWeight: cost), edge.lengthMeters, forward ? edge.points : edge.points.reversed(), forward: forward)
            previous = via
        }
        if arriveForward {
            add(end.edge, RoadTurn.seconds(ofWeight: arriving.seed.cost), end.fraction * last.lengthMeters, Array(last.points[...end.segment]) + [end.point],
                forward: true)
        } else {
            add(end.edge, RoadTurn.seconds(ofWeight: arriving.seed.cost), (1 - end.fraction) * last.lengthMeters,
                Array(last.points[(end.segment + 1)...].reversed()) + [end.point], forward: false)
        }
        // Consecutive pieces share their vertex: the line keeps it once.
        var coordinates = pieces[0].coordinates
        for piece in pieces.dropFirst() { coordinates += piece.coordinates.dropFirst() }
        return Route(
            durationSeconds: RoadTurn.seconds(ofWeight: found.cost), distanceMeters: pieces.reduce(0) { $0 + $1.distanceMeters },
            coordinates: Self.withoutRepeats(coordinates), origin: start, destination: end, pieces: pieces
        )
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

/// A seed, the snap it leaves from (or arrives at), and which way along the
/// snap's edge it travels.
struct DirectedSeed {
    let seed: SearchSeed
    /// The length of the part of the snap's edge the seed stands for.
    let length: Double
    let snap: RoadSnap
    let forward: Bool

    init(_ vertex: Int32, _ cost: Double, _ length: Double, _ snap: RoadSnap, forward: Bool) {
        seed = SearchSeed(vertex: vertex, cost: cost)
        self.length = length
        self.snap = snap
        self.forward = forward
    }

    var end: EndSeed { EndSeed(vertex: seed.vertex, cost: seed.cost, length: length) }
}
