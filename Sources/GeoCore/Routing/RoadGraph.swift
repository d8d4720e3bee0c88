/// A turn's cost from one edge onto another (by `RoadEdge.id`) at vertex
/// `via` (a `ways` vertex id: a u-turn on one edge may be made at either
/// end), in seconds; at or above `RoadTurn.forbidden` no car makes it. A
/// turn not given is free.
public struct RoadTurn: Sendable, Equatable {
    public let from: Int64
    public let via: Int64
    public let to: Int64
    public let seconds: Double

    public init(from: Int64, via: Int64, to: Int64, seconds: Double) {
        self.from = from
        self.via = via
        self.to = to
        self.seconds = seconds
    }

    public static let forbidden = 1_000_000.0
}

/// The road network in memory, turn-expanded: a search walks road arcs
/// (an edge travelled one way), not intersections, so that a turn can cost
/// time or be forbidden, exactly.
///
/// A search vertex is a road arc, numbered by its `via` code (`edge << 1`,
/// `| 1` when against the edge's drawing direction); standing on it means
/// having just travelled the arc to its head. A search arc is a turn from
/// one road arc onto the next at their common intersection, costing the
/// turn plus the next arc's travel time, and labelled with that next arc's
/// `via`. So the labels along a path are the road arcs it takes, and a
/// hierarchy built on these arcs unpacks to them.
///
/// Intersections (the `ways` vertex ids) keep rows of their road arcs, for
/// searches between them as pgRouting runs them. Immutable once built, so
/// every request thread reads it without locks.
public struct RoadGraph: Sendable {
    /// Turn arcs by tail for a forward search, by head for a backward one.
    let forwardArcs: Adjacency
    let backwardArcs: Adjacency
    /// Per intersection, the road arcs leaving it and those reaching it (labels are the arcs' `via`).
    let leaving: Adjacency
    let arriving: Adjacency

    public let edges: [RoadEdge]
    public let vertexIDs: [Int64]
    private let vertexIndex: [Int64: Int32]

    /// Search vertices: two road arcs per edge (one may be closed and left unconnected).
    public var vertexCount: Int { edges.count * 2 }
    public var intersectionCount: Int { vertexIDs.count }
    public var arcCount: Int { forwardArcs.arcCount }

    public init(edges: [RoadEdge], turns: [RoadTurn] = []) {
        var vertexIndex: [Int64: Int32] = [:]
        var vertexIDs: [Int64] = []
        func index(_ id: Int64) -> Int32 {
            if let known = vertexIndex[id] { return known }
            let new = Int32(vertexIDs.count)
            vertexIndex[id] = new
            vertexIDs.append(id)
            return new
        }
        let usable = edges.filter { $0.isOpenForward || $0.isOpenBackward }
        let sources = usable.map { index($0.source) }
        let targets = usable.map { index($0.target) }

        var roadArcs: [LabelledArc] = []
        for (position, edge) in usable.enumerated() {
            if edge.isOpenForward {
                roadArcs.append(LabelledArc(tail: sources[position], head: targets[position], cost: edge.cost, label: Int32(position) << 1))
            }
            if edge.isOpenBackward {
                roadArcs.append(LabelledArc(tail: targets[position], head: sources[position], cost: edge.reverseCost, label: Int32(position) << 1 | 1))
            }
        }
        let leaving = Adjacency(roadArcs, vertexCount: vertexIDs.count, by: .tail)
        let arriving = Adjacency(roadArcs, vertexCount: vertexIDs.count, by: .head)

        var turnCost: [Turn: Double] = [:]
        for turn in turns { turnCost[Turn(from: turn.from, via: turn.via, to: turn.to)] = turn.seconds }
        var turnArcs: [LabelledArc] = []
        for vertex in 0..<vertexIDs.count {
            for into in Int(arriving.start[vertex])..<Int(arriving.start[vertex + 1]) {
                let from = arriving.label[into]
                for out in Int(leaving.start[vertex])..<Int(leaving.start[vertex + 1]) {
                    let to = leaving.label[out]
                    let turn = Turn(from: usable[Int(from >> 1)].id, via: vertexIDs[vertex], to: usable[Int(to >> 1)].id)
                    let seconds = turnCost.isEmpty ? 0 : turnCost[turn] ?? 0
                    guard seconds < RoadTurn.forbidden else { continue }
                    turnArcs.append(LabelledArc(tail: from, head: to, cost: seconds + leaving.cost[out], label: to))
                }
            }
        }
        forwardArcs = Adjacency(turnArcs, vertexCount: usable.count * 2, by: .tail)
        backwardArcs = Adjacency(turnArcs, vertexCount: usable.count * 2, by: .head)
        self.leaving = leaving
        self.arriving = arriving
        self.edges = usable
        self.vertexIDs = vertexIDs
        self.vertexIndex = vertexIndex
    }

    /// Leaving intersection `id` by any of its roads: each arc out, at its travel time.
    public func departures(from id: Int64) -> [SearchSeed] {
        guard let vertex = vertexIndex[id].map(Int.init) else { return [] }
        return (Int(leaving.start[vertex])..<Int(leaving.start[vertex + 1])).map { SearchSeed(vertex: leaving.label[$0], cost: leaving.cost[$0]) }
    }

    /// Reaching intersection `id` by any of its roads: each arc in, nothing more to pay.
    public func arrivals(at id: Int64) -> [SearchSeed] {
        guard let vertex = vertexIndex[id].map(Int.init) else { return [] }
        return (Int(arriving.start[vertex])..<Int(arriving.start[vertex + 1])).map { SearchSeed(vertex: arriving.label[$0], cost: 0) }
    }

    /// The cost of turning from road arc `from` onto road arc `to` and travelling it; nil when that turn is not made.
    func turnArcCost(from: Int32, to: Int32) -> Double? {
        let row = Int(forwardArcs.start[Int(from)])..<Int(forwardArcs.start[Int(from) + 1])
        return row.first { forwardArcs.label[$0] == to }.map { forwardArcs.cost[$0] }
    }

    /// The cost of a road arc itself: its edge's travel time that way.
    func roadArcCost(_ via: Int32) -> Double {
        let edge = edges[Int(via >> 1)]
        return via & 1 == 0 ? edge.cost : edge.reverseCost
    }
}

private struct Turn: Hashable {
    let from: Int64
    let via: Int64
    let to: Int64
}
