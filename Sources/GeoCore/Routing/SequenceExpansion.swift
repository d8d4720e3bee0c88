/// The turn arcs of a road graph with forbidden sequences of road arcs built
/// in: see `RoadGraph`. The sequences sharing a beginning share its copies
/// (a trie over road arcs, rooted at the sequences' first arcs).
struct SequenceExpansion {
    private(set) var arcs: [LabelledArc] = []
    private(set) var vertexCount: Int
    private(set) var copies: [Int32: [Int32]] = [:]

    init(arcs original: [LabelledArc], roadArcCount: Int, sequences: [[Int32]]) {
        vertexCount = roadArcCount
        guard !sequences.isEmpty else {
            arcs = original
            return
        }
        // The trie: from a state (a road arc, or a copy) by the next road arc to the copy for it.
        var child: [Step: Int32] = [:]
        var forbidden: Set<Step> = []
        var copyOf: [Int32] = []
        for sequence in sequences {
            var state = sequence[0]
            for arc in sequence.dropFirst().dropLast() {
                let step = Step(state: state, arc: arc)
                if let known = child[step] {
                    state = known
                } else {
                    let copy = Int32(roadArcCount + copyOf.count)
                    copyOf.append(arc)
                    copies[arc, default: []].append(copy)
                    child[step] = copy
                    state = copy
                }
            }
            forbidden.insert(Step(state: state, arc: sequence[sequence.count - 1]))
        }
        vertexCount = roadArcCount + copyOf.count

        // A turn arc's label is the road arc it enters.
        var byTail = [[Int]](repeating: [], count: roadArcCount)
        for (index, arc) in original.enumerated() { byTail[Int(arc.tail)].append(index) }
        func turns(from state: Int32, like arc: Int32) -> [LabelledArc] {
            byTail[Int(arc)].compactMap { index in
                let turn = original[index]
                let step = Step(state: state, arc: turn.label)
                guard !forbidden.contains(step) else { return nil }
                // From a copy, a turn not continuing its own sequence starts afresh, as from the original.
                let head = child[step] ?? (state == arc ? turn.head : child[Step(state: arc, arc: turn.label)] ?? turn.head)
                return LabelledArc(tail: state, head: head, cost: turn.cost, label: turn.label)
            }
        }
        for arc in 0..<Int32(roadArcCount) { arcs += turns(from: arc, like: arc) }
        for (offset, arc) in copyOf.enumerated() { arcs += turns(from: Int32(roadArcCount + offset), like: arc) }
    }

    private struct Step: Hashable {
        let state: Int32
        let arc: Int32
    }
}
