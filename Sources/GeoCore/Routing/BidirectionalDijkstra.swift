/// Where a search may start or end: a vertex, at a cost already spent (or
/// still to spend) on the partial edge between it and the snapped point.
public struct SearchSeed: Sendable, Equatable {
    public let vertex: Int32
    public let cost: Double

    public init(vertex: Int32, cost: Double) {
        self.vertex = vertex
        self.cost = cost
    }
}

/// A cheapest path between two sets of seeds.
public struct SearchResult: Sendable, Equatable {
    public let cost: Double
    /// The seed the path leaves from and the seed it arrives at.
    public let origin: Int32
    public let destination: Int32
    /// The labels of the arcs taken, in travel order.
    public let labels: [Int32]
}

/// Bidirectional Dijkstra: a forward search from the origin seeds over one
/// adjacency and a backward one from the destination seeds over another,
/// alternating by smaller frontier. On a plain graph (both directions of the
/// road network) it stops once the two frontiers' sum reaches the best meeting
/// cost; on a contraction hierarchy (upward arcs both ways) a side stops only
/// when its own frontier reaches it, since the best path's top may lie far
/// from either end.
///
/// The scratch arrays are graph-sized and reset by generation stamps, so a
/// search allocates nothing. They live in a value the search owns while it
/// runs (locals, not class properties: no exclusivity checks in the loop).
struct BidirectionalDijkstra: Sendable {
    private struct Side {
        var distance: [Double]
        var parent: [Int32]
        var parentVia: [Int32]
        var stamp: [UInt32]
        var settled: [UInt32]
        var heap = MinHeap()

        init(count: Int) {
            distance = Array(repeating: .infinity, count: count)
            parent = Array(repeating: -1, count: count)
            parentVia = Array(repeating: -1, count: count)
            stamp = Array(repeating: 0, count: count)
            settled = Array(repeating: 0, count: count)
        }

        func reached(_ vertex: Int, in generation: UInt32) -> Bool { stamp[vertex] == generation }

        mutating func reach(_ vertex: Int32, cost: Double, from previous: Int32, via: Int32, generation: UInt32) {
            let v = Int(vertex)
            if stamp[v] == generation, distance[v] <= cost { return }
            stamp[v] = generation
            distance[v] = cost
            parent[v] = previous
            parentVia[v] = via
            heap.push(cost, vertex)
        }
    }

    private let forwardArcs: Adjacency
    private let backwardArcs: Adjacency
    private let hierarchical: Bool
    private var forward: Side
    private var backward: Side
    private var generation: UInt32 = 0

    init(forward: Adjacency, backward: Adjacency, hierarchical: Bool) {
        forwardArcs = forward
        backwardArcs = backward
        self.hierarchical = hierarchical
        self.forward = Side(count: forward.start.count - 1)
        self.backward = Side(count: forward.start.count - 1)
    }

    mutating func search(from origins: [SearchSeed], to destinations: [SearchSeed]) -> SearchResult? {
        generation &+= 1
        if generation == 0 {  // wrapped: start the stamps afresh once every 2^32 searches
            forward = Side(count: forwardArcs.start.count - 1)
            backward = Side(count: forwardArcs.start.count - 1)
            generation = 1
        }
        let generation = generation
        forward.heap.removeAll()
        backward.heap.removeAll()
        for seed in origins { forward.reach(seed.vertex, cost: seed.cost, from: -1, via: -1, generation: generation) }
        for seed in destinations { backward.reach(seed.vertex, cost: seed.cost, from: -1, via: -1, generation: generation) }
        var best = Double.infinity
        var meeting: Int32 = -1
        for seed in origins where backward.reached(Int(seed.vertex), in: generation) {
            let total = forward.distance[Int(seed.vertex)] + backward.distance[Int(seed.vertex)]
            if total < best { best = total; meeting = seed.vertex }
        }
        while true {
            let ahead = forward.heap.minimumKey, behind = backward.heap.minimumKey
            if hierarchical ? min(ahead, behind) >= best : ahead + behind >= best { break }
            if ahead <= behind {
                Self.step(&forward, other: backward, arcs: forwardArcs, stalling: hierarchical ? backwardArcs : nil,
                          generation: generation, best: &best, meeting: &meeting)
            } else {
                Self.step(&backward, other: forward, arcs: backwardArcs, stalling: hierarchical ? forwardArcs : nil,
                          generation: generation, best: &best, meeting: &meeting)
            }
        }
        guard meeting >= 0 else { return nil }
        return path(meeting: meeting, cost: best)
    }

    /// Settles the cheapest vertex of one side and relaxes its arcs.
    /// - Parameter stalling: on a hierarchy, the arcs that come down into each
    ///   vertex from more important ones, in this side's direction
    ///   (stall-on-demand). When a vertex this side has reached plus such an
    ///   arc is cheaper than the label being settled, the label is no shortest
    ///   distance and no shortest path climbs through it, so its arcs are not
    ///   relaxed and the search does not spread from it.
    private static func step(
        _ side: inout Side, other: Side, arcs: Adjacency, stalling: Adjacency?, generation: UInt32,
        best: inout Double, meeting: inout Int32
    ) {
        guard let (key, vertex) = side.heap.pop() else { return }
        let v = Int(vertex)
        guard side.settled[v] != generation, key == side.distance[v] else { return }
        side.settled[v] = generation
        if let stalling {
            for arc in Int(stalling.start[v])..<Int(stalling.start[v + 1]) {
                let w = Int(stalling.other[arc])
                if side.reached(w, in: generation), side.distance[w] + stalling.cost[arc] < key { return }
            }
        }
        for arc in Int(arcs.start[v])..<Int(arcs.start[v + 1]) {
            let next = arcs.other[arc]
            side.reach(next, cost: key + arcs.cost[arc], from: vertex, via: arcs.label[arc], generation: generation)
            let n = Int(next)
            if other.reached(n, in: generation) {
                let total = side.distance[n] + other.distance[n]
                if total < best { best = total; meeting = next }
            }
        }
    }

    private func path(meeting: Int32, cost: Double) -> SearchResult {
        var vias: [Int32] = []
        var vertex = meeting
        while forward.parent[Int(vertex)] >= 0 {
            vias.append(forward.parentVia[Int(vertex)])
            vertex = forward.parent[Int(vertex)]
        }
        let origin = vertex
        vias.reverse()
        vertex = meeting
        while backward.parent[Int(vertex)] >= 0 {
            vias.append(backward.parentVia[Int(vertex)])
            vertex = backward.parent[Int(vertex)]
        }
        return SearchResult(cost: cost, origin: origin, destination: vertex, labels: vias)
    }
}
