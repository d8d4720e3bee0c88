/// Drivers where they join one router's road network, filed by the vertices
/// they reach first and the edges they stand on, so that a search backwards
/// from a pickup meets them in the order of their time to it (`soonest`):
/// the work of ranking by road time then grows with the road around the
/// pickup up to the k-th driver, not with the drivers near it. Not
/// thread-safe: its owner locks.
public struct DriverPlacements: Sendable {
    public let router: RoadRouter
    /// Each road arc's length by its label (`edge << 1 | backward`), for the search's path lengths.
    private let arcLengths: [Double]
    private var placements: [PointID: Placement] = [:]
    /// Per vertex (by index), the drivers that reach it first and at what
    /// cost, cheapest first: what the search reads at each vertex it
    /// settles, up to the first driver too late to count.
    private var byVertex: [[Filed]]
    /// Per edge (by index), the drivers standing on it and where.
    private var byEdge: [[Standing]]

    private struct Filed {
        let id: PointID
        let cost: Double
        let length: Double
    }

    /// A driver's snap on an edge, kept with the edge: a pickup on that edge reads it without a lookup per driver.
    private struct Standing {
        let id: PointID
        let snap: RoadSnap
    }

    /// Where a driver leaves its snapped point (each way its edge allows
    /// from there, to the vertex ahead) and the snaps themselves (for a
    /// pickup on the same edge, reached without a vertex).
    private struct Placement {
        let seeds: [EndSeed]
        let snaps: [RoadSnap]
    }

    public init(router: RoadRouter) {
        self.router = router
        arcLengths = router.graph.edges.flatMap { [$0.lengthMeters, $0.lengthMeters] }
        byVertex = Array(repeating: [], count: router.graph.vertexCount)
        byEdge = Array(repeating: [], count: router.graph.edges.count)
    }

    public var count: Int { placements.count }

    /// Files a driver at `start` (`RoadRouter.driverStart`), wherever it was before.
    public mutating func place(_ id: PointID, at start: RoadEnd) {
        remove(id)
        let placement = Placement(seeds: start.snaps.flatMap(router.originSeeds).map(\.end), snaps: start.snaps)
        placements[id] = placement
        for seed in placement.seeds {
            let filed = Filed(id: id, cost: seed.cost, length: seed.length)
            let vertex = Int(seed.vertex)
            // A linear search: the insertion moves the tail anyway.
            byVertex[vertex].insert(filed, at: byVertex[vertex].firstIndex { $0.cost > filed.cost } ?? byVertex[vertex].endIndex)
        }
        for snap in placement.snaps { byEdge[Int(snap.edge)].append(Standing(id: id, snap: snap)) }
    }

    public mutating func remove(_ id: PointID) {
        guard let placement = placements.removeValue(forKey: id) else { return }
        // In place, keeping the order.
        for vertex in Set(placement.seeds.map(\.vertex)) { byVertex[Int(vertex)].removeAll { $0.id == id } }
        for edge in Set(placement.snaps.map(\.edge)) { byEdge[Int(edge)].removeAll { $0.id == id } }
    }

    /// A driver's time and way by road to the pickup.
    public struct Arrival: Sendable {
        public let id: PointID
        public let durationSeconds: Double
        public let distanceMeters: Double
    }

    /// The search's answer: the soonest first (ties by id), at most the
    /// limit, and how many admitted drivers it timed on the way (those
    /// met sooner than the limit-th time found by then).
    public struct Soonest: Sendable {
        public let arrivals: [Arrival]
        public let met: Int
    }

    /// The `limit` admitted drivers who reach `destination` soonest, each
    /// with the time and length of its cheapest route there (as
    /// `RoadRouter.route` from its start finds it).
    ///
    /// A Dijkstra backwards from the destination over the road network (not
    /// the hierarchy: it must settle every vertex in order of its time to
    /// the pickup, to meet the drivers filed there). A driver filed at a
    /// vertex is timed when that vertex settles; one on an edge of the
    /// destination also along that edge. The search stops once the next
    /// vertex to settle is farther than the `limit`-th time found: every
    /// driver not met by then is at least that far, and no time found below
    /// it can still fall. When the network runs out first, the drivers never
    /// met have no way to the pickup.
    /// - Parameters:
    ///   - maximumSettled: the search gives up (nil) rather than settle more
    ///     vertices: too few admitted drivers within reach, and the caller
    ///     ranks another way.
    ///   - admit: whether a driver met counts (radius, freshness, filters); asked once per driver.
    public func soonest(
        to destination: RoadEnd, limit: Int, maximumSettled: Int, scratch: inout DijkstraSearch, admit: (PointID) -> Bool
    ) -> Soonest? {
        guard limit > 0 else { return Soonest(arrivals: [], met: 0) }
        let graph = router.graph
        var found: [PointID: (duration: Double, distance: Double)] = [:]
        var refused = Set<PointID>()
        // The `limit` least times of drivers at their first admission,
        // negated (its top is the limit-th): a driver met again sooner is not
        // counted twice, so the limit-th can only stand too high, which
        // prunes less but never wrongly.
        var best = MinHeap()
        var limitTh = Double.infinity
        func offer(_ id: PointID, _ duration: Double, _ distance: Double) {
            // Beyond the limit-th time found (which only falls) a driver cannot
            // be among the answers: in a dense town most drivers met are, and
            // are neither admitted nor kept.
            guard duration <= limitTh else { return }
            if let known = found[id] {
                if duration < known.duration { found[id] = (duration, distance) }
                return
            }
            guard !refused.contains(id) else { return }
            guard admit(id) else {
                refused.insert(id)
                return
            }
            found[id] = (duration, distance)
            best.push(-duration, 0)
            if best.count > limit { _ = best.pop() }
            if best.count == limit { limitTh = -best.minimumKey }
        }
        // Drivers on the pickup's own edges, soonest first, so that the limit-th prunes the rest unadmitted.
        var direct: [(id: PointID, duration: Double, distance: Double)] = []
        for end in destination.snaps {
            let length = graph.edges[Int(end.edge)].lengthMeters
            for standing in byEdge[Int(end.edge)] {
                if let way = router.directCost(standing.snap, end) {
                    direct.append((standing.id, way.cost, abs(end.fraction - standing.snap.fraction) * length))
                }
            }
        }
        for way in direct.sorted(by: { $0.duration < $1.duration }) { offer(way.id, way.duration, way.distance) }
        let seeds = destination.snaps.flatMap(router.destinationSeeds).map(\.end)
        let answered = scratch.run(graph.backwardArcs, stallingBy: nil, lengths: arcLengths, from: seeds, maximumSettled: maximumSettled) {
            vertex, cost, length in
            // Strictly farther: a driver met at the limit-th time may still win its tie by id.
            if cost > limitTh { return false }
            // Cheapest first: past the limit-th, the rest of the vertex's drivers are too.
            for filed in byVertex[Int(vertex)] {
                guard cost + filed.cost <= limitTh else { break }
                offer(filed.id, cost + filed.cost, length + filed.length)
            }
            return true
        }
        guard answered else { return nil }
        // Ranked by weight (a driver who must cross a destination-only road comes later), timed in seconds.
        let arrivals = found.sorted { ($0.value.duration, $0.key) < ($1.value.duration, $1.key) }.prefix(limit).map {
            Arrival(id: $0.key, durationSeconds: RoadTurn.seconds(ofWeight: $0.value.duration), distanceMeters: $0.value.distance)
        }
        return Soonest(arrivals: arrivals, met: found.count)
    }
}

extension RoadRouter {
    /// How far the road's direction may turn from a driver's heading where it
    /// starts (OSRM's bearing range; GPS headings wander by tens of degrees).
    public static let headingRange = 45

    /// Where a driver joins the network: where travel within `headingRange`
    /// of its heading is possible, when it has a heading and a road within
    /// the limit allows that (a driver on a one-way street heading away
    /// starts in its direction of travel); else at the nearest road. Nil
    /// when no road is within the limit.
    public func driverStart(at coordinate: Coordinate, heading: Double?, maximumSnapMeters: Double) -> RoadEnd? {
        if let heading, heading.isFinite,
           let bearing = Bearing(degrees: Int(heading.rounded()) % 360, range: Self.headingRange),
           let end = try? end(coordinate, index: 0, rule: EndRule(bearing: bearing), maximumSnapMeters: maximumSnapMeters) {
            return end
        }
        return try? end(coordinate, index: 0, maximumSnapMeters: maximumSnapMeters)
    }
}
