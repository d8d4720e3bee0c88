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
    /// The arcs' edges in travel order, as `edge << 1 | reversed`.
    public let vias: [Int32]
}

/// Bidirectional Dijkstra over a `RoadGraph`: a forward search from the
/// origin seeds and a backward one from the destination seeds, alternating by
/// smaller frontier, stopping once the two frontiers' sum reaches the best
/// meeting cost found. The reference the faster search is tested against.
///
/// Scratch arrays are per search object and reset by generation stamps, so a
/// search costs no allocation. One object serves one search at a time (the
/// router's pool hands each to one caller), hence `@unchecked Sendable`.
final class BidirectionalDijkstra: @unchecked Sendable {
    private let graph: RoadGraph
    private var distance: [[Double]]
    private var parent: [[Int32]]
    private var parentVia: [[Int32]]
    private var stamp: [[UInt32]]
    private var settled: [[UInt32]]
    private var generation: UInt32 = 0
    private var heaps = [MinHeap(), MinHeap()]

    init(graph: RoadGraph) {
        self.graph = graph
        let count = graph.vertexCount
        distance = Array(repeating: Array(repeating: .infinity, count: count), count: 2)
        parent = Array(repeating: Array(repeating: -1, count: count), count: 2)
        parentVia = Array(repeating: Array(repeating: -1, count: count), count: 2)
        stamp = Array(repeating: Array(repeating: 0, count: count), count: 2)
        settled = Array(repeating: Array(repeating: 0, count: count), count: 2)
    }

    func search(from origins: [SearchSeed], to destinations: [SearchSeed]) -> SearchResult? {
        generation &+= 1
        if generation == 0 {  // wrapped: clear the stamps once every 2^32 searches
            for side in 0..<2 {
                stamp[side] = Array(repeating: 0, count: graph.vertexCount)
                settled[side] = Array(repeating: 0, count: graph.vertexCount)
            }
            generation = 1
        }
        heaps[0].removeAll()
        heaps[1].removeAll()
        var best = Double.infinity
        var meeting: Int32 = -1
        for (side, seeds) in [origins, destinations].enumerated() {
            for seed in seeds { reach(side, seed.vertex, cost: seed.cost, from: -1, via: -1) }
        }
        for seed in origins {
            let vertex = Int(seed.vertex)
            if stamp[1][vertex] == generation, distance[0][vertex] + distance[1][vertex] < best {
                best = distance[0][vertex] + distance[1][vertex]
                meeting = seed.vertex
            }
        }
        while !heaps[0].isEmpty || !heaps[1].isEmpty {
            guard heaps[0].minimumKey + heaps[1].minimumKey < best else { break }
            let side = heaps[0].minimumKey <= heaps[1].minimumKey ? 0 : 1
            guard let (key, vertex) = heaps[side].pop() else { break }
            let v = Int(vertex)
            guard settled[side][v] != generation, key == distance[side][v] else { continue }
            settled[side][v] = generation
            let (start, heads, costs, vias) = side == 0
                ? (graph.outStart, graph.outHead, graph.outCost, graph.outVia)
                : (graph.inStart, graph.inTail, graph.inCost, graph.inVia)
            for arc in Int(start[v])..<Int(start[v + 1]) {
                let next = heads[arc]
                let cost = key + costs[arc]
                reach(side, next, cost: cost, from: vertex, via: vias[arc])
                let n = Int(next)
                if stamp[1 - side][n] == generation, distance[side][n] + distance[1 - side][n] < best {
                    best = distance[side][n] + distance[1 - side][n]
                    meeting = next
                }
            }
        }
        guard meeting >= 0 else { return nil }
        return path(meeting: meeting, cost: best)
    }

    private func reach(_ side: Int, _ vertex: Int32, cost: Double, from previous: Int32, via: Int32) {
        let v = Int(vertex)
        if stamp[side][v] == generation, distance[side][v] <= cost { return }
        stamp[side][v] = generation
        distance[side][v] = cost
        parent[side][v] = previous
        parentVia[side][v] = via
        heaps[side].push(cost, vertex)
    }

    private func path(meeting: Int32, cost: Double) -> SearchResult {
        var vias: [Int32] = []
        var vertex = meeting
        while parent[0][Int(vertex)] >= 0 {
            vias.append(parentVia[0][Int(vertex)])
            vertex = parent[0][Int(vertex)]
        }
        let origin = vertex
        vias.reverse()
        vertex = meeting
        while parent[1][Int(vertex)] >= 0 {
            vias.append(parentVia[1][Int(vertex)])
            vertex = parent[1][Int(vertex)]
        }
        return SearchResult(cost: cost, origin: origin, destination: vertex, vias: vias)
    }
}
