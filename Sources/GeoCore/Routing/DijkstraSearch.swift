/// Where a search starts: a vertex, and the cost and length already spent
/// reaching it from a snapped end (the part of the end's edge).
struct EndSeed {
    let vertex: Int32
    let cost: Double
    let length: Double
}

/// A one-to-all Dijkstra over one set of arcs, for as long as the visit
/// wants. Over one direction of the contraction hierarchy (up from the
/// seeds) it runs to exhaustion: that space is a few hundred vertices, and
/// every vertex it settles carries its exact cost up from the seeds; two
/// such spaces meet on the shortest path's top vertex, which is what the
/// many-to-many table relies on. Over the road network's in-arcs it is a
/// search backwards from a pickup, which `DriverPlacements.soonest` stops
/// once the rest cannot matter.
///
/// The scratch arrays are graph-sized and reused: a generation stamp marks
/// what this run has written, so no run clears them.
public struct DijkstraSearch: Sendable {
    private var cost: [Double]
    private var length: [Double]
    private var stamp: [UInt32]
    private var done: [UInt32]
    private var generation: UInt32 = 0
    private var heap = MinHeap()

    public init(vertexCount: Int) {
        cost = Array(repeating: .infinity, count: vertexCount)
        length = Array(repeating: 0, count: vertexCount)
        stamp = Array(repeating: 0, count: vertexCount)
        done = Array(repeating: 0, count: vertexCount)
    }

    public var vertexCount: Int { cost.count }

    /// Calls `visit` once for every vertex settled, with its cost and the
    /// length of the path that cost belongs to, to exhaustion.
    mutating func run(
        _ arcs: Adjacency, stallingBy reverse: Adjacency, lengths: [Double], from seeds: [EndSeed], visit: (Int32, Double, Double) -> Void
    ) {
        _ = run(arcs, stallingBy: reverse, lengths: lengths, from: seeds, maximumSettled: .max) { vertex, cost, length in
            visit(vertex, cost, length)
            return true
        }
    }

    /// Calls `visit` for each vertex settled until it returns false or the
    /// arcs run out (true), or until more than `maximumSettled` vertices
    /// would be settled (false; `visit` is not called for the one beyond).
    ///
    /// Stall-on-demand, with `reverse`: it holds, per vertex, the arcs that
    /// reach it from higher vertices in the search's direction (the other
    /// direction of the hierarchy). A vertex that one of those reached more
    /// cheaply than its own label is not on any shortest path from the
    /// seeds: it is neither visited nor expanded, which spares most of the
    /// upward space. Without `reverse` (a plain graph) nothing stalls.
    /// - Parameter lengths: each arc's length, by its label.
    mutating func run(
        _ arcs: Adjacency, stallingBy reverse: Adjacency?, lengths: [Double], from seeds: [EndSeed], maximumSettled: Int,
        visit: (Int32, Double, Double) -> Bool
    ) -> Bool {
        precondition(cost.count == arcs.start.count - 1, "a search's arrays are sized for one graph")
        generation &+= 1
        if generation == 0 {
            // After 2³² runs the stamps wrap: start them over.
            for index in stamp.indices { stamp[index] = 0; done[index] = 0 }
            generation = 1
        }
        heap.removeAll()
        for seed in seeds { reach(seed.vertex, seed.cost, seed.length) }
        var settled = 0
        while let (key, vertex) = heap.pop() {
            let v = Int(vertex)
            guard done[v] != generation, key <= cost[v] else { continue }
            done[v] = generation
            if let reverse, isStalled(v, key, reverse) { continue }
            settled += 1
            guard settled <= maximumSettled else { return false }
            guard visit(vertex, key, length[v]) else { return true }
            for arc in Int(arcs.start[v])..<Int(arcs.start[v + 1]) {
                reach(arcs.other[arc], key + arcs.cost[arc], length[v] + lengths[Int(arcs.label[arc])])
            }
        }
        return true
    }

    private func isStalled(_ v: Int, _ key: Double, _ reverse: Adjacency) -> Bool {
        for arc in Int(reverse.start[v])..<Int(reverse.start[v + 1]) {
            let u = Int(reverse.other[arc])
            if stamp[u] == generation, cost[u] + reverse.cost[arc] < key { return true }
        }
        return false
    }

    private mutating func reach(_ vertex: Int32, _ newCost: Double, _ newLength: Double) {
        let v = Int(vertex)
        if stamp[v] == generation, cost[v] <= newCost { return }
        stamp[v] = generation
        cost[v] = newCost
        length[v] = newLength
        heap.push(newCost, vertex)
    }
}
