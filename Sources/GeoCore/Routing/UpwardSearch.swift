/// Where a search starts: a vertex, and the cost and length already spent
/// reaching it from a snapped end (the part of the end's edge).
struct EndSeed {
    let vertex: Int32
    let cost: Double
    let length: Double
}

/// A one-to-all Dijkstra over one direction of the contraction hierarchy (up
/// from the seeds), run to exhaustion: in a hierarchy that space is a few
/// hundred vertices, and every vertex it settles carries its exact cost up
/// from the seeds. Two such spaces meet on the shortest path's top vertex,
/// which is what the many-to-many table relies on.
///
/// The scratch arrays are graph-sized and reused: a generation stamp marks
/// what this run has written, so no run clears them.
struct UpwardSearch {
    private var cost: [Double]
    private var length: [Double]
    private var stamp: [UInt32]
    private var done: [UInt32]
    private var generation: UInt32 = 0
    private var heap = MinHeap()

    init(vertexCount: Int) {
        cost = Array(repeating: .infinity, count: vertexCount)
        length = Array(repeating: 0, count: vertexCount)
        stamp = Array(repeating: 0, count: vertexCount)
        done = Array(repeating: 0, count: vertexCount)
    }

    /// Calls `visit` once for every vertex settled, with its cost and the
    /// length of the path that cost belongs to.
    ///
    /// Stall-on-demand: `reverse` holds, per vertex, the arcs that reach it
    /// from higher vertices in the search's direction (the other direction of
    /// the hierarchy). A vertex that one of those reached more cheaply than
    /// its own label is not on any shortest path from the seeds: it is
    /// neither visited nor expanded, which spares most of the upward space.
    mutating func run(
        _ arcs: Adjacency, stallingBy reverse: Adjacency, lengths: [Double], from seeds: [EndSeed], visit: (Int32, Double, Double) -> Void
    ) {
        generation &+= 1
        if generation == 0 {
            // After 2³² runs the stamps wrap: start them over.
            for index in stamp.indices { stamp[index] = 0; done[index] = 0 }
            generation = 1
        }
        heap.removeAll()
        for seed in seeds { reach(seed.vertex, seed.cost, seed.length) }
        while let (key, vertex) = heap.pop() {
            let v = Int(vertex)
            guard done[v] != generation, key <= cost[v] else { continue }
            done[v] = generation
            if isStalled(v, key, reverse) { continue }
            visit(vertex, key, length[v])
            for arc in Int(arcs.start[v])..<Int(arcs.start[v + 1]) {
                reach(arcs.other[arc], key + arcs.cost[arc], length[v] + lengths[Int(arcs.label[arc])])
            }
        }
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
