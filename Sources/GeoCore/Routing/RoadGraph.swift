/// A turn's cost from one edge onto another (by `RoadEdge.id`) at vertex
/// `via` (a `ways` vertex id: a u-turn on one edge may be made at either
/// end), in seconds, plus `restrictedEntry` where it enters a road open only
/// to reach a place on it; at or above `RoadTurn.forbidden` no car makes it.
/// A turn not given is free.
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

    public static let forbidden = 1_000_000_000.0

    /// What entering a destination-only road (`access=destination`,
    /// `private`, …) from an open one weighs: more than any route's time,
    /// so a route enters such roads only where it must (to end on one), and
    /// as seldom as it can (OSRM weighs the same turn so). It is weight, not
    /// time: `seconds(ofWeight:)` takes it out of what a route reports.
    public static let restrictedEntry = 10_000_000.0

    /// A travel time from a search's weight: each restricted entry taken
    /// out (every route's time is below `restrictedEntry`).
    public static func seconds(ofWeight weight: Double) -> Double {
        guard weight >= restrictedEntry, weight.isFinite else { return weight }
        return weight - (weight / restrictedEntry).rounded(.down) * restrictedEntry
    }
}

/// A sequence of edges (by `RoadEdge.id`, in travel order, three or more: a
/// turn restriction via ways) that no route may take whole.
public struct ForbiddenSequence: Sendable, Equatable {
    public let edges: [Int64]

    public init(edges: [Int64]) {
        self.edges = edges
    }
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
/// A restriction via ways forbids a sequence of three or more road arcs,
/// which no turn cost can say: the arcs after the first are copied, and the
/// turn from the first onto the second leads to the copy, whose turns are
/// the original's less the forbidden one (OSRM duplicates nodes the same
/// way). A copy is a search vertex numbered after the road arcs, labelled
/// like its original, so paths unpack to road arcs as before. Where two
/// restrictions overlap (one's via way is the other's from way), a copy
/// follows the restriction it belongs to, and the other only where it starts.
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

    /// Search vertices: two road arcs per edge (one may be closed and left
    /// unconnected), then the copies restrictions via ways make.
    public let vertexCount: Int
    /// The copies of each road arc that has any.
    private let copies: [Int32: [Int32]]
    public var intersectionCount: Int { vertexIDs.count }
    public var arcCount: Int { forwardArcs.arcCount }

    public init(edges: [RoadEdge], turns: [RoadTurn] = [], sequences: [ForbiddenSequence] = []) {
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
        var positions: [Int64: Int32] = [:]
        for (position, edge) in usable.enumerated() { positions[edge.id] = Int32(position) }
        let expanded = SequenceExpansion(
            arcs: turnArcs, roadArcCount: usable.count * 2,
            sequences: sequences.compactMap { Self.roadArcs($0, positions: positions, sources: sources, targets: targets, usable: usable) }
        )
        vertexCount = expanded.vertexCount
        copies = expanded.copies
        forwardArcs = Adjacency(expanded.arcs, vertexCount: vertexCount, by: .tail)
        backwardArcs = Adjacency(expanded.arcs, vertexCount: vertexCount, by: .head)
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
        let arcs = Int(arriving.start[vertex])..<Int(arriving.start[vertex + 1])
        var seeds: [SearchSeed] = []
        // Copies are rare: one allocation for the arcs, as a search counts its mallocs.
        seeds.reserveCapacity(arcs.count)
        for arc in arcs {
            seeds.append(SearchSeed(vertex: arriving.label[arc], cost: 0))
            for copy in copies(of: arriving.label[arc]) { seeds.append(SearchSeed(vertex: copy, cost: 0)) }
        }
        return seeds
    }

    /// The copies of road arc `arc` (search vertices that also stand for it); none for most.
    func copies(of arc: Int32) -> [Int32] {
        copies[arc] ?? []
    }

    /// A sequence's road arcs, each entered at the intersection where the one
    /// before it ends; nil when an edge is unknown or the sequence cannot be travelled.
    private static func roadArcs(
        _ sequence: ForbiddenSequence, positions: [Int64: Int32], sources: [Int32], targets: [Int32], usable: [RoadEdge]
    ) -> [Int32]? {
        let edges = sequence.edges.compactMap { positions[$0] }
        guard edges.count == sequence.edges.count, edges.count >= 3 else { return nil }
        // The first arc runs towards the intersection it shares with the second.
        let (first, second) = (Int(edges[0]), Int(edges[1]))
        var at = [sources[second], targets[second]].contains(targets[first]) ? targets[first] : sources[first]
        var arcs = [edges[0] << 1 | (at == targets[first] ? 0 : 1)]
        for edge in edges.dropFirst() {
            let index = Int(edge)
            guard sources[index] == at || targets[index] == at else { return nil }
            let forward = sources[index] == at
            arcs.append(edge << 1 | (forward ? 0 : 1))
            at = forward ? targets[index] : sources[index]
        }
        let open = arcs.allSatisfy { arc in
            let edge = usable[Int(arc >> 1)]
            return arc & 1 == 0 ? edge.isOpenForward : edge.isOpenBackward
        }
        return open ? arcs : nil
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
