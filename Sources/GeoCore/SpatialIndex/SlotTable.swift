/// A key a `SlotTable` can hold: equality, and a hash keyed by the table's
/// seed that mixes every bit.
protocol SlotTableKey: Equatable {
    func hash(seed: UInt64) -> UInt64
}

/// A hash table of array positions only (open addressing, linear probing),
/// the keys being read from the arrays themselves through `keyAt`.
/// `MovingPointIndex` finds each point's position by id in one, and each
/// grid cell's slot by cell key in another.
///
/// Against a `[PointID: Int32]`: a dictionary stores every id a second time
/// and, at its load limit, keeps buckets for up to twice the points, about
/// 50 bytes a driver at 100,000, a quarter of the index (SpatialIndexBenchmarks,
/// peak memory); four bytes a slot here. Against an `[Int64: Int32]` of cells:
/// a dictionary hashes each key with seeded SipHash, about a tenth of a
/// nearby search's instructions (callgrind), where the cells' keys need only
/// a multiply-and-shift mix.
///
/// Keys come from clients (user ids, and cells from the positions they
/// report), so each table hashes with its own random seed: with a fixed hash
/// one could pick keys that all share one probe run (hash flooding), and every
/// lookup would walk it.
struct SlotTable<Key: SlotTableKey>: Sendable {
    private static var empty: Int32 { -1 }
    private var slots: [Int32]
    private var mask: Int
    private let seed: UInt64
    private(set) var count = 0

    init() {
        self.init(slots: Array(repeating: Self.empty, count: 16), mask: 15, seed: .random(in: .min ... .max))
    }

    private init(slots: [Int32], mask: Int, seed: UInt64) {
        self.slots = slots
        self.mask = mask
        self.seed = seed
    }

    /// Holds a table's place while the table is lent out; allocates nothing.
    static var vacant: SlotTable { SlotTable(slots: [], mask: 0, seed: 0) }

    /// The position of `key`, if present.
    func position(of key: Key, keyAt: (Int32) -> Key) -> Int32? {
        var slot = home(key)
        while slots[slot] != Self.empty {
            if keyAt(slots[slot]) == key { return slots[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds `key` (absent) at `position`.
    mutating func insert(_ key: Key, at position: Int32, keyAt: (Int32) -> Key) {
        // At most three quarters full keeps probe runs short.
        if (count + 1) * 4 > slots.count * 3 { grow(keyAt) }
        var slot = home(key)
        while slots[slot] != Self.empty { slot = (slot + 1) & mask }
        slots[slot] = position
        count += 1
    }

    /// Points `key`'s slot at `position` (its entry moved in the array).
    mutating func move(_ key: Key, to position: Int32, keyAt: (Int32) -> Key) {
        var slot = home(key)
        while keyAt(slots[slot]) != key { slot = (slot + 1) & mask }
        slots[slot] = position
    }

    /// Removes `key`; returns its position, or nil when absent.
    mutating func remove(_ key: Key, keyAt: (Int32) -> Key) -> Int32? {
        var hole = home(key)
        while slots[hole] != Self.empty, keyAt(slots[hole]) != key { hole = (hole + 1) & mask }
        let removed = slots[hole]
        guard removed != Self.empty else { return nil }
        // Backward shift: every later entry of the run that may live in the
        // hole moves into it, so lookups never meet a gap before their entry.
        var next = hole
        while true {
            next = (next + 1) & mask
            guard slots[next] != Self.empty else { break }
            let wanted = home(keyAt(slots[next]))
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

    private func home(_ key: Key) -> Int {
        Int(truncatingIfNeeded: key.hash(seed: seed)) & mask
    }

    private mutating func grow(_ keyAt: (Int32) -> Key) {
        let old = slots
        slots = Array(repeating: Self.empty, count: old.count * 2)
        mask = slots.count - 1
        for position in old where position != Self.empty {
            var slot = home(keyAt(position))
            while slots[slot] != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = position
        }
    }
}

/// Murmur3's 64-bit finaliser: every input bit reaches every low output bit,
/// which the table's mask keeps.
private func mix(_ value: UInt64) -> UInt64 {
    var hash = value
    hash ^= hash >> 33
    hash &*= 0xFF51_AFD7_ED55_8CCD
    hash ^= hash >> 33
    hash &*= 0xC4CE_B9FE_1A85_EC53
    hash ^= hash >> 33
    return hash
}

extension PointID: SlotTableKey {
    // A client may pick any 128 bits, so both halves go through the keyed
    // SipHash of the standard library (seeded per process as well). Only
    // writes look ids up; searches never do.
    func hash(seed: UInt64) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(high)
        hasher.combine(low)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }
}

/// A grid cell's packed key. A client chooses it only through positions on
/// the sphere, and the seed decides where each lands; the mix is cheap
/// because every search looks up several cells.
extension Int64: SlotTableKey {
    func hash(seed: UInt64) -> UInt64 { mix(UInt64(bitPattern: self) ^ seed) }
}
