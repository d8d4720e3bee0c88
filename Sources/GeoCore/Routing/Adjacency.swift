/// An arc between two dense vertex indices, with its cost and a label the
/// owner of the arcs gives it (a road edge's `via`, a hierarchy arc's id).
struct LabelledArc {
    let tail: Int32
    let head: Int32
    let cost: Double
    let label: Int32
}

/// Arcs in compressed rows: those of vertex v are `start[v] ..< start[v + 1]`,
/// each with the vertex at its other end, its cost and its label. Both the
/// road graph and the contraction hierarchy keep their arcs this way.
struct Adjacency: Sendable {
    enum Row {
        /// Rows of out-arcs, for a forward search: `other` is the head.
        case tail
        /// Rows of in-arcs, for a backward search: `other` is the tail.
        case head
    }

    let start: [Int32]
    let other: [Int32]
    let cost: [Double]
    let label: [Int32]

    /// Groups `arcs` by one end (a counting sort: arcs keep their order within a row).
    init(_ arcs: [LabelledArc], vertexCount: Int, by row: Row) {
        func owner(_ arc: LabelledArc) -> Int { Int(row == .tail ? arc.tail : arc.head) }
        var start = [Int32](repeating: 0, count: vertexCount + 1)
        for arc in arcs { start[owner(arc) + 1] += 1 }
        for vertex in 0..<vertexCount { start[vertex + 1] += start[vertex] }
        var next = start
        var order = [Int](repeating: 0, count: arcs.count)
        for (position, arc) in arcs.enumerated() {
            order[Int(next[owner(arc)])] = position
            next[owner(arc)] += 1
        }
        self.start = start
        other = order.map { row == .tail ? arcs[$0].head : arcs[$0].tail }
        cost = order.map { arcs[$0].cost }
        label = order.map { arcs[$0].label }
    }

    var arcCount: Int { other.count }
}
