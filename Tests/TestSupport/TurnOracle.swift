public import GeoCore
public import PostgresNIO
import Storage

extension RoadNetworkFixture {
    /// pgr_trsp's cost from each source to each target on the import's edges
    /// and turn rows, keyed `"source>target"`; a pair whose only way pays a
    /// forbidden turn has none. One source at a time: pgRouting 3.4.2's
    /// many-to-many pgr_trsp gave some pairs another pair's cost.
    public static func trspCosts(_ client: PostgresClient, from sources: [Int64], to targets: [Int64]) async throws -> [String: Double] {
        var costs: [String: Double] = [:]
        for source in Set(sources) {
            for try await (target, cost) in try await client.query("""
                SELECT end_vid, agg_cost FROM pgr_trsp(\(edgesSQL), \(restrictionsSQL), \(source), \(Array(Set(targets)))::int8[], true)
                WHERE edge = -1
                """).decode((Int64, Double).self) where cost < RoadTurn.forbidden && source != target {
                costs["\(source)>\(target)"] = cost
            }
        }
        return costs
    }

    /// The oracle on the imported network.
    public static func turnOracle(_ client: PostgresClient) async throws -> TurnOracle {
        let repository = RoadNetworkRepository(client: client)
        return TurnOracle(edges: try await repository.edges(), turns: try await repository.turns(), sequences: try await repository.forbiddenSequences())
    }

    /// `TurnOracle`'s travel time from each source to each target (restricted
    /// entries taken out, as the service reports it), keyed `"source>target"`;
    /// none where no way joins them.
    public static func oracleCosts(_ client: PostgresClient, from sources: [Int64], to targets: [Int64]) async throws -> [String: Double] {
        let oracle = try await turnOracle(client)
        var costs: [String: Double] = [:]
        for source in Set(sources) {
            let reached = oracle.costs(fromVertex: source)
            for target in targets { costs["\(source)>\(target)"] = reached[target].map(RoadTurn.seconds(ofWeight:)) }
        }
        return costs
    }
}

/// An exact oracle for routes between points along edges: a plain Dijkstra
/// over road arcs (an edge travelled one way), each turn at the cost the
/// import gave it, and each restriction via ways kept by remembering the end
/// of the path so far that could still begin one (where the router copies
/// arcs instead). It shares nothing with the router but the semantics,
/// which `pgr_trsp` checks between intersections: leave the point along its
/// edge either way the edge allows, pay each turn and arc, and arrive by
/// turning onto the destination's edge and travelling part of it.
public struct TurnOracle: Sendable {
    private let edges: [Int64: RoadEdge]
    private let leaving: [Int64: [(edge: Int64, forward: Bool)]]
    private let turns: [String: Double]
    /// The forbidden sequences, and every proper beginning of one.
    private let forbidden: Set<[Int64]>
    private let beginnings: Set<[Int64]>
    private let longest: Int

    public init(edges: [RoadEdge], turns: [RoadTurn], sequences: [ForbiddenSequence] = []) {
        var byID: [Int64: RoadEdge] = [:]
        var leaving: [Int64: [(edge: Int64, forward: Bool)]] = [:]
        for edge in edges {
            byID[edge.id] = edge
            if edge.cost >= 0 { leaving[edge.source, default: []].append((edge.id, true)) }
            if edge.reverseCost >= 0 { leaving[edge.target, default: []].append((edge.id, false)) }
        }
        self.edges = byID
        self.leaving = leaving
        self.turns = Dictionary(uniqueKeysWithValues: turns.map { ("\($0.from)>\($0.via)>\($0.to)", $0.seconds) })
        forbidden = Set(sequences.map(\.edges))
        beginnings = Set(sequences.flatMap { sequence in (1..<sequence.edges.count).map { Array(sequence.edges.prefix($0)) } })
        longest = sequences.map(\.edges.count).max() ?? 0
    }

    /// A road arc, and the longest end of the path to it that begins a forbidden sequence.
    private struct Arc: Hashable {
        let edge: Int64
        let forward: Bool
        var history: [Int64] = []
    }

    /// The path so far, `history` then `edge`: nil when it ends a forbidden
    /// sequence, else the history to carry on.
    private func extend(_ history: [Int64], with edge: Int64) -> [Int64]? {
        let path = history + [edge]
        for length in 1...path.count where forbidden.contains(Array(path.suffix(length))) { return nil }
        for length in stride(from: min(path.count, longest - 1), through: 1, by: -1) where beginnings.contains(Array(path.suffix(length))) {
            return Array(path.suffix(length))
        }
        return []
    }

    /// The travel time of the cheapest way from `start` along edge `from` to
    /// `end` along edge `to`, or to intersection `vertex`; nil when none. The
    /// way along one edge without leaving it is the caller's to compare.
    public func cost(from: Int64, at start: Double, to target: Int64?, at end: Double = 0, vertex: Int64? = nil) -> Double? {
        guard let first = edges[from] else { return nil }
        var seeds: [(cost: Double, arc: Arc)] = []
        let history = extend([], with: from) ?? []
        if first.cost >= 0 { seeds.append(((1 - start) * first.cost, Arc(edge: from, forward: true, history: history))) }
        if first.reverseCost >= 0 { seeds.append((start * first.reverseCost, Arc(edge: from, forward: false, history: history))) }
        return search(seeds, to: target, at: end, vertex: vertex).map(RoadTurn.seconds(ofWeight:))
    }

    /// The cheapest costs from intersection `source` to every other it
    /// reaches, leaving by any road: weights, as `pgr_trsp`'s (restricted entries included).
    public func costs(fromVertex source: Int64) -> [Int64: Double] {
        let seeds = (leaving[source] ?? []).map { next in
            (cost: next.forward ? edges[next.edge]!.cost : edges[next.edge]!.reverseCost,
             arc: Arc(edge: next.edge, forward: next.forward, history: extend([], with: next.edge) ?? []))
        }
        var reached: [Int64: Double] = [:]
        _ = search(seeds, to: nil, at: 0) { vertex, cost in
            if vertex != source, cost < reached[vertex] ?? .infinity { reached[vertex] = cost }
        }
        return reached
    }

    private func search(_ seeds: [(cost: Double, arc: Arc)], to target: Int64?, at end: Double, vertex: Int64? = nil,
                        visit: ((Int64, Double) -> Void)? = nil) -> Double? {
        var settled = Set<Arc>()
        var queue = Heap()
        for seed in seeds { queue.push(seed.cost, seed.arc) }
        var best = Double.infinity
        while let (cost, arc) = queue.pop(), cost < best {
            guard settled.insert(arc).inserted else { continue }
            let edge = edges[arc.edge]!
            let head = arc.forward ? edge.target : edge.source
            visit?(head, cost)
            if head == vertex { best = min(best, cost) }
            for next in leaving[head] ?? [] {
                let turn = turns["\(arc.edge)>\(head)>\(next.edge)"] ?? 0
                guard turn < RoadTurn.forbidden, let nextEdge = edges[next.edge], let history = extend(arc.history, with: next.edge) else { continue }
                let travel = next.forward ? nextEdge.cost : nextEdge.reverseCost
                if next.edge == target { best = min(best, cost + turn + (next.forward ? end : 1 - end) * travel) }
                let key = Arc(edge: next.edge, forward: next.forward, history: history)
                if !settled.contains(key) { queue.push(cost + turn + travel, key) }
            }
        }
        return best.isFinite ? best : nil
    }

    /// A binary min-heap of (cost, arc), lazily deleted: the plainest queue a Dijkstra needs.
    private struct Heap {
        private var items: [(cost: Double, arc: Arc)] = []

        mutating func push(_ cost: Double, _ arc: Arc) {
            items.append((cost, arc))
            var child = items.count - 1
            while child > 0, items[(child - 1) / 2].cost > items[child].cost {
                items.swapAt(child, (child - 1) / 2)
                child = (child - 1) / 2
            }
        }

        mutating func pop() -> (cost: Double, arc: Arc)? {
            guard !items.isEmpty else { return nil }
            items.swapAt(0, items.count - 1)
            let top = items.removeLast()
            var parent = 0
            while true {
                let (left, right) = (2 * parent + 1, 2 * parent + 2)
                var smallest = parent
                if left < items.count, items[left].cost < items[smallest].cost { smallest = left }
                if right < items.count, items[right].cost < items[smallest].cost { smallest = right }
                if smallest == parent { return top }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }
}
