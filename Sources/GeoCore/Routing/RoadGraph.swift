/// The road network in memory: vertices renumbered densely, arcs in
/// compressed rows (out-arcs per vertex for the forward search, in-arcs for
/// the backward one), edge shapes in flat arrays. Immutable once built, so
/// every request thread reads it without locks.
public struct RoadGraph: Sendable {
    /// Out-arcs of vertex v are `outStart[v] ..< outStart[v + 1]`.
    let outStart: [Int32]
    let outHead: [Int32]
    let outCost: [Double]
    /// The edge an arc runs along: `edge << 1 | 1` when against its drawing direction.
    let outVia: [Int32]
    let inStart: [Int32]
    let inTail: [Int32]
    let inCost: [Double]
    let inVia: [Int32]

    public let edges: [RoadEdge]
    let edgeSource: [Int32]
    let edgeTarget: [Int32]
    public let vertexIDs: [Int64]
    private let vertexIndex: [Int64: Int32]

    public var vertexCount: Int { vertexIDs.count }
    public var arcCount: Int { outHead.count }

    public init(edges: [RoadEdge]) {
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

        var arcs: [(tail: Int32, head: Int32, cost: Double, via: Int32)] = []
        for (position, edge) in usable.enumerated() {
            if edge.isOpenForward { arcs.append((sources[position], targets[position], edge.cost, Int32(position) << 1)) }
            if edge.isOpenBackward { arcs.append((targets[position], sources[position], edge.reverseCost, Int32(position) << 1 | 1)) }
        }
        let outRows = Self.rows(arcs, vertexCount: vertexIDs.count, by: \.tail)
        let inRows = Self.rows(arcs, vertexCount: vertexIDs.count, by: \.head)
        outStart = outRows.start
        outHead = outRows.order.map { arcs[$0].head }
        outCost = outRows.order.map { arcs[$0].cost }
        outVia = outRows.order.map { arcs[$0].via }
        inStart = inRows.start
        inTail = inRows.order.map { arcs[$0].tail }
        inCost = inRows.order.map { arcs[$0].cost }
        inVia = inRows.order.map { arcs[$0].via }
        self.edges = usable
        edgeSource = sources
        edgeTarget = targets
        self.vertexIDs = vertexIDs
        self.vertexIndex = vertexIndex
    }

    /// Out-arcs for a forward search and in-arcs for a backward one, labelled with their `via`.
    var forwardArcs: Adjacency { Adjacency(start: outStart, other: outHead, cost: outCost, label: outVia) }
    var backwardArcs: Adjacency { Adjacency(start: inStart, other: inTail, cost: inCost, label: inVia) }

    /// The dense index of a vertex id of the `ways` tables, if it has an open edge.
    public func vertex(_ id: Int64) -> Int32? { vertexIndex[id] }

    /// Arcs grouped by one end: row starts per vertex and the arcs' order.
    private static func rows(
        _ arcs: [(tail: Int32, head: Int32, cost: Double, via: Int32)], vertexCount: Int,
        by end: KeyPath<(tail: Int32, head: Int32, cost: Double, via: Int32), Int32>
    ) -> (start: [Int32], order: [Int]) {
        var start = [Int32](repeating: 0, count: vertexCount + 1)
        for arc in arcs { start[Int(arc[keyPath: end]) + 1] += 1 }
        for vertex in 0..<vertexCount { start[vertex + 1] += start[vertex] }
        var next = start
        var order = [Int](repeating: 0, count: arcs.count)
        for (position, arc) in arcs.enumerated() {
            let row = Int(arc[keyPath: end])
            order[Int(next[row])] = position
            next[row] += 1
        }
        return (start, order)
    }
}
