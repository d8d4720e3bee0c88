public import Foundation
import Synchronization

/// One instance's in-memory level: bounded by entries and bytes, evicting with
/// SIEVE, and coherent with every other instance's writes through the change
/// events it is told about (`invalidate`).
///
/// Coherence has two rules. The L1 serves nothing while it is not listening
/// to the other instances (`setCoherent(false)` also empties it, since events
/// may have been missed). And a fill races the events that arrive while its
/// database read is in flight: `beginFill` notes the event count, and `fill`
/// refuses the entry if a later event touched its key or one of its tags, so
/// a value read just before an invalidation never lands after it.
public final class L1Cache<Payload: Sendable>: Sendable {
    /// What a fill needs to know about the moment its read began.
    public struct FillTicket: Sendable {
        fileprivate let epoch: UInt64
        fileprivate let coherent: Bool
    }

    private struct Entry {
        let key: String
        let payload: Payload
        let type: String
        let tags: [String]
        let cost: Int
        let validUntil: Double
    }

    /// A change another writer made: a key, some tags, or everything.
    private enum Change {
        case key(String)
        case tags(Set<String>)
        case all
    }

    private struct State {
        var queue = SieveQueue<Entry>()
        var slots: [String: Int32] = [:]
        var tagged: [String: Set<Int32>] = [:]
        var bytes = 0
        var evictions = 0
        var coherent = false
        var epoch: UInt64 = 0
        /// The most recent changes, newest last, each with the epoch it made.
        var recent: [(epoch: UInt64, change: Change)] = []
    }

    private static var recentChanges: Int { 1_024 }

    public let limits: L1Limits
    private let state = Mutex(State())

    public init(limits: L1Limits) {
        self.limits = limits
    }

    /// The payload and type stored under `key`, if it may still be served.
    public func get(_ key: String, now: Date = Date()) -> (payload: Payload, type: String)? {
        state.withLock { state in
            guard state.coherent, let slot = state.slots[key] else { return nil }
            let entry = state.queue[slot]
            guard now.timeIntervalSince1970 < entry.validUntil else {
                Self.remove(slot, from: &state)
                return nil
            }
            state.queue.markVisited(slot)
            return (entry.payload, entry.type)
        }
    }

    public func beginFill() -> FillTicket {
        state.withLock { FillTicket(epoch: $0.epoch, coherent: $0.coherent) }
    }

    /// Stores what a database read that began at `ticket` found, unless a change
    /// since then concerns it or it is too big to keep. Returns whether it was stored.
    @discardableResult
    public func fill(
        _ key: String, payload: Payload, type: String, tags: [String], expiresAt: Date, cost: Int,
        since ticket: FillTicket, now: Date = Date()
    ) -> Bool {
        let validUntil = min(expiresAt.timeIntervalSince1970, now.timeIntervalSince1970 + limits.backstopSeconds)
        guard cost <= limits.maximumBytes, limits.maximumEntries > 0, validUntil > now.timeIntervalSince1970 else { return false }
        return state.withLock { state in
            guard ticket.coherent, state.coherent, !Self.changed(key, tags: tags, since: ticket.epoch, in: state) else { return false }
            if let old = state.slots[key] { Self.remove(old, from: &state) }
            while state.queue.count >= limits.maximumEntries || state.bytes + cost > limits.maximumBytes,
                  let victim = state.queue.victim() {
                Self.remove(victim, from: &state)
                state.evictions += 1
            }
            let slot = state.queue.insert(Entry(key: key, payload: payload, type: type, tags: tags, cost: cost, validUntil: validUntil))
            state.slots[key] = slot
            for tag in tags { state.tagged[tag, default: []].insert(slot) }
            state.bytes += cost
            return true
        }
    }

    /// Forgets `key` and makes any fill already in flight for it refuse.
    public func invalidate(key: String) {
        state.withLock { state in
            if let slot = state.slots[key] { Self.remove(slot, from: &state) }
            Self.record(.key(key), in: &state)
        }
    }

    /// Forgets every entry carrying any of `tags`, and in-flight fills of such entries.
    public func invalidate(tags: [String]) {
        state.withLock { state in
            for tag in tags {
                for slot in state.tagged[tag] ?? [] { Self.remove(slot, from: &state) }
            }
            Self.record(.tags(Set(tags)), in: &state)
        }
    }

    /// Forgets everything, and every fill in flight.
    public func invalidateAll() {
        state.withLock { state in
            Self.clear(&state)
            Self.record(.all, in: &state)
        }
    }

    /// Serve from memory only while every other instance's changes reach this
    /// one; either way the contents so far are dropped, as changes may have
    /// been missed in between.
    public func setCoherent(_ coherent: Bool) {
        state.withLock { state in
            Self.clear(&state)
            Self.record(.all, in: &state)
            state.coherent = coherent
        }
    }

    public var statistics: L1Statistics {
        state.withLock { L1Statistics(entries: $0.queue.count, bytes: $0.bytes, evictions: $0.evictions, coherent: $0.coherent) }
    }

    private static func remove(_ slot: Int32, from state: inout State) {
        let entry = state.queue.remove(slot)
        state.slots[entry.key] = nil
        for tag in entry.tags {
            state.tagged[tag]?.remove(slot)
            if state.tagged[tag]?.isEmpty == true { state.tagged[tag] = nil }
        }
        state.bytes -= entry.cost
    }

    private static func clear(_ state: inout State) {
        state.queue.removeAll()
        state.slots = [:]
        state.tagged = [:]
        state.bytes = 0
    }

    private static func record(_ change: Change, in state: inout State) {
        state.epoch += 1
        if state.recent.count == recentChanges { state.recent.removeFirst(recentChanges / 2) }
        state.recent.append((state.epoch, change))
    }

    /// Whether a change after `epoch` concerns this key or these tags; also true
    /// when changes that old are no longer remembered.
    private static func changed(_ key: String, tags: [String], since epoch: UInt64, in state: State) -> Bool {
        guard epoch < state.epoch else { return false }
        guard let oldest = state.recent.first?.epoch, oldest <= epoch + 1 else { return true }
        for (changeEpoch, change) in state.recent.reversed() {
            guard changeEpoch > epoch else { break }
            switch change {
            case .key(let changed): if changed == key { return true }
            case .tags(let changed): if tags.contains(where: changed.contains) { return true }
            case .all: return true
            }
        }
        return false
    }
}
