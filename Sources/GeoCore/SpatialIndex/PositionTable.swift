/// Where each point sits in `MovingPointIndex`'s array: a hash table of
/// positions only (open addressing, linear probing), the ids being read from
/// the points themselves through `idAt`.
///
/// A `[PointID: Int32]` stores every id a second time and, at its load limit,
/// keeps buckets for up to twice the points: about 50 bytes a driver at
/// 100,000, a quarter of the index (SpatialIndexBenchmarks, peak memory).
/// Four bytes a slot here.
struct PositionTable: Sendable {
    private static let empty: Int32 = -1
    private var slots: [Int32]
    private var mask: Int
    private(set) var count = 0

    init() {
        slots = Array(repeating: Self.empty, count: 16)
        mask = 15
    }

    private init(slots: [Int32], mask: Int) {
        self.slots = slots
        self.mask = mask
    }

    /// Holds a table's place while the table is lent out; allocates nothing.
    static var vacant: PositionTable { PositionTable(slots: [], mask: 0) }

    /// The position of `id`, if present.
    func position(of id: PointID, idAt: (Int32) -> PointID) -> Int32? {
        var slot = home(id)
        while slots[slot] != Self.empty {
            if idAt(slots[slot]) == id { return slots[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds `id` (absent) at `position`.
    mutating func insert(_ id: PointID, at position: Int32, idAt: (Int32) -> PointID) {
        // At most three quarters full keeps probe runs short.
        if (count + 1) * 4 > slots.count * 3 { grow(idAt) }
        var slot = home(id)
        while slots[slot] != Self.empty { slot = (slot + 1) & mask }
        slots[slot] = position
        count += 1
    }

    /// Points `id`'s slot at `position` (the point moved in the array).
    mutating func move(_ id: PointID, to position: Int32, idAt: (Int32) -> PointID) {
        var slot = home(id)
        while idAt(slots[slot]) != id { slot = (slot + 1) & mask }
        slots[slot] = position
    }

    /// Removes `id`; returns its position, or nil when absent.
    mutating func remove(_ id: PointID, idAt: (Int32) -> PointID) -> Int32? {
        var hole = home(id)
        while slots[hole] != Self.empty, idAt(slots[hole]) != id { hole = (hole + 1) & mask }
        let removed = slots[hole]
        guard removed != Self.empty else { return nil }
        // Backward shift: every later entry of the run that may live in the
        // hole moves into it, so lookups never meet a gap before their entry.
        var next = hole
        while true {
            next = (next + 1) & mask
            guard slots[next] != Self.empty else { break }
            let wanted = home(idAt(slots[next]))
            // Cyclic distance from the entry's home: it may move back to the
            // hole only if the hole is no earlier than its home.
            if (next - wanted) & mask >= (next - hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
        }
        slots[hole] = Self.empty
        count -= 1
        return removed
    }

    private func home(_ id: PointID) -> Int {
        // Ids may be sequential (tests, benchmarks) or random (UUIDs): mix both halves.
        var hash = id.high ^ (id.low &* 0x9E37_79B9_7F4A_7C15)
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        hash ^= hash >> 29
        return Int(truncatingIfNeeded: hash) & mask
    }

    private mutating func grow(_ idAt: (Int32) -> PointID) {
        let old = slots
        slots = Array(repeating: Self.empty, count: old.count * 2)
        mask = slots.count - 1
        for position in old where position != Self.empty {
            var slot = home(idAt(position))
            while slots[slot] != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = position
        }
    }
}
