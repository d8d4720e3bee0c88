/// A contraction hierarchy over a `RoadGraph`: vertices ranked by importance,
/// and shortcut arcs that stand for shortest paths through less important
/// vertices, so that a query only ever climbs in rank from both ends and
/// settles a few hundred vertices instead of most of the network.
///
/// Built once per loaded network. Vertices are contracted in order of twice
/// the edge difference (shortcuts added minus arcs removed), plus contracted
/// neighbours, plus depth (one more than the deepest contracted neighbour),
/// re-checked lazily. The edge difference counts double so that it leads and
/// the other two break ties; depth spreads the contraction evenly over the
/// network, so that no region's hierarchy grows tall and searches stay small
/// (README, in-process figures). A shortcut is left out only when a witness search
/// proves a path at most as cheap without the vertex, so the bounded witness
/// search can only add shortcuts, never lose a shortest path. Queries stall
/// on demand (`BidirectionalDijkstra`).
struct ContractionHierarchy: Sendable {
    /// What an arc of the hierarchy stands for: an arc of the road graph (its
    /// `via` code) or two arcs of the hierarchy joined at a contracted vertex.
    enum Meaning: Sendable {
        case road(via: Int32)
        case shortcut(first: Int32, second: Int32)
    }

    /// Upward arcs by tail for the forward search, by head for the backward
    /// one (walked tail-ward); labelled with their index into `meanings`.
    let upwardArcs: Adjacency
    let downwardArcs: Adjacency
    let meanings: [Meaning]
    /// Per arc id, the length in metres of the road it stands for.
    let lengths: [Double]

    private struct Arc {
        var other: Int32
        var cost: Double
        var id: Int32
    }

    init(graph: RoadGraph) {
        let count = graph.vertexCount
        var meanings: [Meaning] = []
        var tails: [Int32] = [], heads: [Int32] = [], costs: [Double] = []
        var outgoing = [[Arc]](repeating: [], count: count)
        var incoming = [[Arc]](repeating: [], count: count)
        // The cheapest road arc per ordered pair; self-loops never shorten a path.
        var cheapest: [Int64: Int32] = [:]
        let road = graph.forwardArcs
        for tail in 0..<count {
            for arc in Int(road.start[tail])..<Int(road.start[tail + 1]) where road.other[arc] != Int32(tail) {
                let head = road.other[arc]
                let pair = Int64(tail) << 32 | Int64(head)
                if let known = cheapest[pair] {
                    if road.cost[arc] < costs[Int(known)] {
                        costs[Int(known)] = road.cost[arc]
                        meanings[Int(known)] = .road(via: road.label[arc])
                    }
                    continue
                }
                cheapest[pair] = Int32(meanings.count)
                meanings.append(.road(via: road.label[arc]))
                tails.append(Int32(tail)); heads.append(head); costs.append(road.cost[arc])
            }
        }
        for id in costs.indices {
            outgoing[Int(tails[id])].append(Arc(other: heads[id], cost: costs[id], id: Int32(id)))
            incoming[Int(heads[id])].append(Arc(other: tails[id], cost: costs[id], id: Int32(id)))
        }

        var rank = [Int32](repeating: -1, count: count)
        var contractedNeighbours = [Int32](repeating: 0, count: count)
        var depth = [Int32](repeating: 0, count: count)
        var witness = WitnessSearch(count: count)
        func shortcuts(of vertex: Int, settleLimit: Int) -> [(from: Arc, to: Arc)] {
            var needed: [(from: Arc, to: Arc)] = []
            let targets = outgoing[vertex]
            guard let longest = targets.map(\.cost).max() else { return [] }
            for from in incoming[vertex] {
                let limit = from.cost + longest
                witness.run(from: from.other, avoiding: Int32(vertex), limit: limit, settleLimit: settleLimit, targets: targets, outgoing: outgoing)
                for to in targets where to.other != from.other && witness.distance(to.other) > from.cost + to.cost {
                    needed.append((from, to))
                }
            }
            return needed
        }
        func priority(_ vertex: Int) -> Int {
            let removed = incoming[vertex].count + outgoing[vertex].count
            return 2 * (shortcuts(of: vertex, settleLimit: 50).count - removed) + Int(contractedNeighbours[vertex]) + Int(depth[vertex])
        }

        var queue = MinHeap()
        for vertex in 0..<count { queue.push(Double(priority(vertex)), Int32(vertex)) }
        var nextRank: Int32 = 0
        while let (key, vertex) = queue.pop() {
            let v = Int(vertex)
            guard rank[v] < 0 else { continue }
            let current = Double(priority(v))
            if current > key, current > queue.minimumKey {
                queue.push(current, vertex)
                continue
            }
            for (from, to) in shortcuts(of: v, settleLimit: 500) {
                let id = Int32(meanings.count)
                meanings.append(.shortcut(first: from.id, second: to.id))
                tails.append(from.other); heads.append(to.other); costs.append(from.cost + to.cost)
                outgoing[Int(from.other)].append(Arc(other: to.other, cost: from.cost + to.cost, id: id))
                incoming[Int(to.other)].append(Arc(other: from.other, cost: from.cost + to.cost, id: id))
            }
            rank[v] = nextRank
            nextRank += 1
            // The vertex leaves the remaining graph: its neighbours' lists drop
            // their arcs to it, so that witness searches and priorities only
            // ever walk arcs between uncontracted vertices (on large networks
            // the arcs to contracted ones came to outnumber them), and its own
            // lists are no longer needed (the arcs are kept in `tails`, `heads`).
            func contracted(_ neighbour: Arc, from lists: inout [[Arc]]) {
                let u = Int(neighbour.other)
                lists[u].removeAll { $0.other == vertex }
                contractedNeighbours[u] += 1
                depth[u] = max(depth[u], depth[v] + 1)
            }
            for neighbour in incoming[v] { contracted(neighbour, from: &outgoing) }
            for neighbour in outgoing[v] { contracted(neighbour, from: &incoming) }
            incoming[v] = []
            outgoing[v] = []
        }

        // Every arc goes up from one end: kept by tail when its head ranks
        // higher (forward search), by head when its tail does (backward).
        var up: [LabelledArc] = [], down: [LabelledArc] = []
        for id in costs.indices {
            let arc = LabelledArc(tail: tails[id], head: heads[id], cost: costs[id], label: Int32(id))
            if rank[Int(tails[id])] < rank[Int(heads[id])] { up.append(arc) } else { down.append(arc) }
        }
        upwardArcs = Adjacency(up, vertexCount: count, by: .tail)
        downwardArcs = Adjacency(down, vertexCount: count, by: .head)
        self.meanings = meanings
        // A shortcut is made of arcs made before it, so one pass in id order measures all.
        var lengths: [Double] = []
        lengths.reserveCapacity(meanings.count)
        for meaning in meanings {
            switch meaning {
            case .road(let via): lengths.append(graph.edges[Int(via >> 1)].lengthMeters)
            case .shortcut(let first, let second): lengths.append(lengths[Int(first)] + lengths[Int(second)])
            }
        }
        self.lengths = lengths
    }

    /// The road arcs (`via` codes) an arc of the hierarchy stands for, in order.
    func unpack(_ arc: Int32, into vias: inout [Int32]) {
        switch meanings[Int(arc)] {
        case .road(let via): vias.append(via)
        case .shortcut(let first, let second):
            unpack(first, into: &vias)
            unpack(second, into: &vias)
        }
    }

    /// A local Dijkstra among uncontracted vertices, skipping the one being
    /// contracted, stopped at a cost bound, a number of settled vertices, or
    /// once every target is settled (their distances are final then: going on
    /// changed no decision and was a tenth of a large grid's build).
    private struct WitnessSearch {
        private var distances: [Double]
        private var stamp: [UInt32]
        /// `generation` at the vertices this run must settle.
        private var target: [UInt32]
        private var generation: UInt32 = 0
        private var heap = MinHeap()

        init(count: Int) {
            distances = Array(repeating: .infinity, count: count)
            stamp = Array(repeating: 0, count: count)
            target = Array(repeating: 0, count: count)
        }

        func distance(_ vertex: Int32) -> Double {
            stamp[Int(vertex)] == generation ? distances[Int(vertex)] : .infinity
        }

        mutating func run(from source: Int32, avoiding skipped: Int32, limit: Double, settleLimit: Int, targets: [Arc], outgoing: [[Arc]]) {
            generation &+= 1
            if generation == 0 {  // wrapped: start the stamps afresh
                stamp = Array(repeating: 0, count: stamp.count)
                target = Array(repeating: 0, count: target.count)
                generation = 1
            }
            var unsettledTargets = 0
            for arc in targets where target[Int(arc.other)] != generation {
                target[Int(arc.other)] = generation
                unsettledTargets += 1
            }
            heap.removeAll()
            stamp[Int(source)] = generation
            distances[Int(source)] = 0
            heap.push(0, source)
            var settled = 0
            while let (key, vertex) = heap.pop() {
                guard key <= distances[Int(vertex)] else { continue }
                guard key <= limit, settled < settleLimit else { return }
                settled += 1
                if target[Int(vertex)] == generation {
                    target[Int(vertex)] = 0
                    unsettledTargets -= 1
                    if unsettledTargets == 0 { return }
                }
                for arc in outgoing[Int(vertex)] where arc.other != skipped {
                    let cost = key + arc.cost
                    if cost < distance(arc.other) {
                        stamp[Int(arc.other)] = generation
                        distances[Int(arc.other)] = cost
                        heap.push(cost, arc.other)
                    }
                }
            }
        }
    }
}
