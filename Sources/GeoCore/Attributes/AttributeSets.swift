/// The distinct attribute sets of the points in a `MovingPointIndex`, each
/// stored once and referred to by a 4-byte id: a fleet has few distinct
/// combinations (status, class, seats), so a hundred thousand drivers share
/// a handful of sets. Sets are counted by reference and an unused one's id
/// is reused, so values that change (a unique field per driver, say) do not
/// pile up. Id 0 is the empty set and is never freed.
struct AttributeSets: Sendable {
    private var sets: [Attributes] = [.empty]
    private var references: [Int] = [0]
    private var ids: [Attributes: Int32] = [.empty: 0]
    private var unused: [Int32] = []

    static var empty: Int32 { 0 }

    subscript(id: Int32) -> Attributes { sets[Int(id)] }

    /// How many distinct non-empty sets are held.
    var count: Int { ids.count - 1 }

    /// The id of `attributes`, counting one more reference to it.
    mutating func retain(_ attributes: Attributes) -> Int32 {
        if let id = ids[attributes] {
            references[Int(id)] += 1
            return id
        }
        let id: Int32
        if let reused = unused.popLast() {
            id = reused
            sets[Int(id)] = attributes
            references[Int(id)] = 1
        } else {
            id = Int32(sets.count)
            sets.append(attributes)
            references.append(1)
        }
        ids[attributes] = id
        return id
    }

    /// Drops one reference to `id`, freeing the set with its last.
    mutating func release(_ id: Int32) {
        guard id != Self.empty else { return }
        references[Int(id)] -= 1
        guard references[Int(id)] == 0 else { return }
        ids[sets[Int(id)]] = nil
        sets[Int(id)] = .empty
        unused.append(id)
    }
}
