import Synchronization

/// Hits and misses counted in memory: a read served from memory must not
/// write to the database, so counts wait here until the next flush.
final class LookupCounter: Sendable {
    /// What the next flush adds to the tables.
    struct Pending: Sendable {
        var keyHits: [String: Int] = [:]
        var typeHits: [String: Int] = [:]
        var typeMisses: [String: Int] = [:]

        var isEmpty: Bool { keyHits.isEmpty && typeHits.isEmpty && typeMisses.isEmpty }

        mutating func add(_ other: Pending) {
            keyHits.merge(other.keyHits, uniquingKeysWith: +)
            typeHits.merge(other.typeHits, uniquingKeysWith: +)
            typeMisses.merge(other.typeMisses, uniquingKeysWith: +)
        }
    }

    /// Since this instance started.
    struct Totals: Sendable, Equatable {
        var memoryHits = 0
        var databaseHits = 0
        var misses = 0
    }

    private struct State {
        var pending = Pending()
        var totals = Totals()
    }

    private let state = Mutex(State())

    func hit(_ key: String, type: String, fromMemory: Bool) {
        state.withLock {
            $0.pending.keyHits[key, default: 0] += 1
            $0.pending.typeHits[type, default: 0] += 1
            if fromMemory { $0.totals.memoryHits += 1 } else { $0.totals.databaseHits += 1 }
        }
    }

    func miss(type: String) {
        state.withLock {
            $0.pending.typeMisses[type, default: 0] += 1
            $0.totals.misses += 1
        }
    }

    /// Takes the counts so far; per-key hits only when `includingKeys`, since
    /// each key read costs its own row update at a flush.
    func drain(includingKeys: Bool) -> Pending {
        state.withLock { state in
            var taken = state.pending
            state.pending = Pending()
            if !includingKeys {
                state.pending.keyHits = taken.keyHits
                taken.keyHits = [:]
            }
            return taken
        }
    }

    /// Puts back counts a failed flush could not write.
    func restore(_ pending: Pending) {
        state.withLock { $0.pending.add(pending) }
    }

    var totals: Totals { state.withLock { $0.totals } }
}
