import Synchronization

/// Hits and misses counted in memory: a read served from memory must not
/// write to the database, so counts wait here until the next flush.
public final class LookupCounter: Sendable {
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
    public struct Totals: Sendable, Equatable {
        public var memoryHits = 0
        public var databaseHits = 0
        public var misses = 0

        mutating func add(_ other: Totals) {
            memoryHits += other.memoryHits
            databaseHits += other.databaseHits
            misses += other.misses
        }
    }

    private struct State {
        var pending = Pending()
        /// By tenant name (nil: the default tenant).
        var totals: [String?: Totals] = [:]
    }

    private let state = Mutex(State())

    func hit(_ key: String, type: String, fromMemory: Bool, tenant: CacheTenant) {
        state.withLock {
            $0.pending.keyHits[key, default: 0] += 1
            $0.pending.typeHits[type, default: 0] += 1
            if fromMemory { $0.totals[tenant.name, default: Totals()].memoryHits += 1 } else { $0.totals[tenant.name, default: Totals()].databaseHits += 1 }
        }
    }

    func miss(type: String, tenant: CacheTenant) {
        state.withLock {
            $0.pending.typeMisses[type, default: 0] += 1
            $0.totals[tenant.name, default: Totals()].misses += 1
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

    /// Every tenant's together.
    var totals: Totals {
        state.withLock { $0.totals.values.reduce(into: Totals()) { $0.add($1) } }
    }

    /// By tenant name (nil: the default tenant).
    var totalsByTenant: [String?: Totals] { state.withLock { $0.totals } }
}
