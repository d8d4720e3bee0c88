/// A Dijkstra backwards over the road network (towards the seeds, along
/// arcs' reverse), vertex by vertex in order of cost, for as long as the
/// caller's visit wants: `DriverPlacements.soonest` stops it once the rest
/// cannot matter. The scratch arrays are graph-sized and reused: a
/// generation stamp marks what this run has written, so no run clears them.
public struct BackwardScan: Sendable {
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

    /// Calls `visit` for each vertex settled, with its cost to the seeds and
    /// the length of that path, until `visit` returns false or the network
    /// runs out (true), or more than `maximumSettled` vertices would be
    /// settled (false, `visit` not called for the one beyond).
    /// - Parameter edgeLengths: each road edge's length, by edge index.
    mutating func run(
        _ graph: RoadGraph, edgeLengths: [Double], from seeds: [EndSeed], maximumSettled: Int, visit: (Int32, Double, Double) -> Bool
    ) -> Bool {
        precondition(cost.count == graph.vertexCount, "a scan's arrays are sized for one network")
        generation &+= 1
        if generation == 0 {
            // After 2³² runs the stamps wrap: start them over.
            for index in stamp.indices { stamp[index] = 0; done[index] = 0 }
            generation = 1
        }
        heap.removeAll()
        for seed in seeds { reach(seed.vertex, seed.cost, seed.length) }
        let arcs = graph.backwardArcs
        var settled = 0
        while let (key, vertex) = heap.pop() {
            let v = Int(vertex)
            guard done[v] != generation, key <= cost[v] else { continue }
            settled += 1
            guard settled <= maximumSettled else { return false }
            done[v] = generation
            guard visit(vertex, key, length[v]) else { return true }
            for arc in Int(arcs.start[v])..<Int(arcs.start[v + 1]) {
                reach(arcs.other[arc], key + arcs.cost[arc], length[v] + edgeLengths[Int(arcs.label[arc] >> 1)])
            }
        }
        return true
    }

    private mutating func reach(_ vertex: Int32, _ newCost: Double, _ newLength: Double) {
        let v = Int(vertex)
        if stamp[v] != generation {
            stamp[v] = generation
            cost[v] = .infinity
        }
        guard newCost < cost[v] else { return }
        cost[v] = newCost
        length[v] = newLength
        heap.push(newCost, vertex)
    }
}
