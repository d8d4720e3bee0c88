public import Foundation
import Synchronization

/// A bounded in-memory map with expiring entries, evicting with SIEVE (see
/// `SieveQueue`): the route cache's memory level. SIEVE rather than strict
/// LRU because a hit only sets a flag instead of relinking a list under the
/// lock, and it keeps popular entries at least as well on skewed workloads.
public final class BoundedMemory<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let key: Key
        let value: Value
        let validUntil: Date
    }

    private struct State {
        var queue = SieveQueue<Entry>()
        var slots: [Key: Int32] = [:]
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value under `key`, unless missing or no longer valid at `now`.
    public func get(_ key: Key, now: Date = Date()) -> Value? {
        state.withLock { state in
            guard let slot = state.slots[key] else { return nil }
            let entry = state.queue[slot]
            guard now < entry.validUntil else {
                state.queue.remove(slot)
                state.slots[key] = nil
                return nil
            }
            state.queue.markVisited(slot)
            return entry.value
        }
    }

    public func set(_ key: Key, _ value: Value, validUntil: Date) {
        guard capacity > 0 else { return }
        state.withLock { state in
            if let old = state.slots[key] { state.queue.remove(old) }
            while state.queue.count >= capacity, let victim = state.queue.victim() {
                state.slots[state.queue.remove(victim).key] = nil
            }
            state.slots[key] = state.queue.insert(Entry(key: key, value: value, validUntil: validUntil))
        }
    }

    public func removeAll() {
        state.withLock { $0 = State() }
    }

    public var count: Int { state.withLock { $0.queue.count } }
}
