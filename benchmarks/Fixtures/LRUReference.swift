/// Plain LRU (dictionary plus a doubly linked list by index), only as the
/// yardstick the L1's SIEVE eviction is measured against in `CacheBenchmarks`.
public struct LRUReference {
    private var slots: [String: Int] = [:]
    private var keys: [String] = []
    private var newer: [Int] = []
    private var older: [Int] = []
    private var head = -1
    private var tail = -1
    private let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// True on a hit (the key moves to the front); on a miss the key is
    /// inserted, evicting the least recently used when full.
    public mutating func access(_ key: String) -> Bool {
        if let slot = slots[key] {
            unlink(slot)
            pushFront(slot)
            return true
        }
        let slot: Int
        if keys.count < capacity {
            slot = keys.count
            keys.append(key)
            newer.append(-1)
            older.append(-1)
        } else {
            slot = tail
            unlink(slot)
            slots[keys[slot]] = nil
            keys[slot] = key
        }
        slots[key] = slot
        pushFront(slot)
        return false
    }

    private mutating func unlink(_ slot: Int) {
        if newer[slot] >= 0 { older[newer[slot]] = older[slot] } else { head = older[slot] }
        if older[slot] >= 0 { newer[older[slot]] = newer[slot] } else { tail = newer[slot] }
    }

    private mutating func pushFront(_ slot: Int) {
        newer[slot] = -1
        older[slot] = head
        if head >= 0 { newer[head] = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}
