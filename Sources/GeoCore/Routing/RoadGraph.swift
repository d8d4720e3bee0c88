/// The road network in memory: vertices renumbered densely, arcs in
/// compressed rows (out-arcs per vertex for the forward search, in-arcs for
/// the backward one), edge shapes in flat arrays. Immutable once built, so
/// every request thread reads it without locks.
public struct RoadGraph: Sendable {
    /// Out-arcs for a forward search, in-arcs for a backward one; each
    /// labelled with its edge's `via`: `edge << 1 | 1` when against the edge's
    /// drawing direction.
    let forwardArcs: Adjacency
    let backwardArcs: Adjacency

    public let edges: [RoadEdge]
    let edgeSource: [Int32]
    let edgeTarget: [Int32]
    public let vertexIDs: [Int64]
    private let vertexIndex: [Int64: Int32]

    public var vertexCount: Int { vertexIDs.count }
    public var arcCount: Int { forwardArcs.arcCount }

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

        var arcs: [LabelledArc] = []
        for (position, edge) in usable.enumerated() {
            if edge.isOpenForward {
                arcs.append(LabelledArc(tail: sources[position], head: targets[position], cost: edge.cost, label: Int32(position) << 1))
            }
            if edge.isOpenBackward {
                arcs.append(LabelledArc(tail: targets[position], head: sources[position], cost: edge.reverseCost, label: Int32(position) << 1 | 1))
            }
        }
        forwardArcs = Adjacency(arcs, vertexCount: vertexIDs.count, by: .tail)
        backwardArcs = Adjacency(arcs, vertexCount: vertexIDs.count, by: .head)
        self.edges = usable
        edgeSource = sources
        edgeTarget = targets
        self.vertexIDs = vertexIDs
        self.vertexIndex = vertexIndex
    }

    /// The dense index of a vertex id of the `ways` tables, if it has an open edge.
    public func vertex(_ id: Int64) -> Int32? { vertexIndex[id] }
}
