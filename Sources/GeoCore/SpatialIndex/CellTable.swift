/// The occupied cells of one grid of `MovingPointIndex`, by packed cell key,
/// each with its members in one array.
///
/// A cell keeps its slot while it has members: points and the coarse grid
/// refer to cells by slot, and searches read `members` through its buffer by
/// slot rather than out of a dictionary (a dictionary hands out each cell's
/// array retained, and with searches running side by side those reference
/// counts were contended cache lines in a W1 profile). An emptied cell's slot
/// is reused by the next new cell.
struct CellTable<Member: Sendable>: Sendable {
    /// The key a vacant slot holds: packed keys are never negative.
    static var vacantKey: Int64 { -1 }

    private var lookup = SlotTable<Int64>()
    private(set) var members: [[Member]] = []
    /// Each slot's cell key, `vacantKey` when vacant: walking every cell reads
    /// this one array and never a vacant cell's members.
    private(set) var keys: [Int64] = []
    private var vacant: [Int32] = []

    /// How many cells have members.
    var count: Int { lookup.count }

    func slot(of key: Int64) -> Int32? {
        lookup.position(of: key) { keys[Int($0)] }
    }

    subscript(slot: Int32, index: Int32) -> Member {
        get { members[Int(slot)][Int(index)] }
        set { members[Int(slot)][Int(index)] = newValue }
    }

    /// Adds `member` to the cell `key`, creating the cell if needed.
    /// - Returns: the cell's slot, the member's index in it, and whether the cell is new.
    mutating func append(_ member: Member, to key: Int64) -> (slot: Int32, index: Int32, isNew: Bool) {
        if let slot = slot(of: key) {
            members[Int(slot)].append(member)
            return (slot, Int32(members[Int(slot)].count - 1), false)
        }
        let slot: Int32
        if let reused = vacant.popLast() {
            slot = reused
            keys[Int(slot)] = key
            members[Int(slot)].append(member)
        } else {
            slot = Int32(members.count)
            members.append([member])
            keys.append(key)
        }
        let keys = self.keys
        lookup.insert(key, at: slot) { keys[Int($0)] }
        return (slot, 0, true)
    }

    /// Removes the member at `index` of the cell at `slot`, moving the cell's
    /// last member into its place.
    /// - Returns: the member that moved to `index` (nil if none did), and
    ///   whether the cell emptied, in which case its slot is now vacant.
    mutating func remove(at index: Int32, from slot: Int32) -> (moved: Member?, emptied: Bool) {
        let cell = Int(slot)
        let last = members[cell].count - 1
        var moved: Member?
        if Int(index) != last {
            moved = members[cell][last]
            members[cell][Int(index)] = members[cell][last]
        }
        members[cell].removeLast()
        guard members[cell].isEmpty else { return (moved, false) }
        do {
            // Scoped: a copy still alive when `keys` is written would copy the array.
            let keys = self.keys
            _ = lookup.remove(keys[cell]) { keys[Int($0)] }
        }
        keys[cell] = Self.vacantKey
        vacant.append(slot)
        return (moved, true)
    }
}
