import Cache
import Foundation
import Metrics
import Storage
import Synchronization

/// Figures read when `/metrics` is scraped rather than counted as they
/// happen: sizes and states, and the cache's totals, which its read path
/// already keeps (counting them twice would tax every memory hit).
final class ScrapeFigures: Sendable {
    private let index: LiveDriverIndex
    private let health: DatabaseHealth
    private let memoryStatistics: @Sendable () -> L1Statistics
    private let lookups: @Sendable () -> [String?: LookupCounter.Totals]
    private let totals = CounterMirror()

    private let drivers = Gauge(label: "wayline_live_index_drivers")
    private let indexLag = Gauge(label: "wayline_live_index_lag_seconds")
    private let memoryEntries = Gauge(label: "wayline_cache_memory_entries")
    private let memoryBytes = Gauge(label: "wayline_cache_memory_bytes")
    private let coherent = Gauge(label: "wayline_cache_coherent")
    private let databaseUp = Gauge(label: "wayline_database_up")

    init(
        index: LiveDriverIndex, health: DatabaseHealth,
        memoryStatistics: @escaping @Sendable () -> L1Statistics, lookups: @escaping @Sendable () -> [String?: LookupCounter.Totals]
    ) {
        self.index = index
        self.health = health
        self.memoryStatistics = memoryStatistics
        self.lookups = lookups
    }

    func update() {
        drivers.record(index.count)
        indexLag.record(max(0, Date().timeIntervalSince(index.syncedAt)))
        let memory = memoryStatistics()
        memoryEntries.record(memory.entries)
        memoryBytes.record(memory.bytes)
        coherent.record(memory.coherent ? 1 : 0)
        totals.set("wayline_cache_evictions_total", [], to: memory.evictions)
        databaseUp.record(health.isUp ? 1 : 0)
        for (tenant, counts) in lookups() {
            // "(default)" cannot be a tenant's name: those are A-Z a-z 0-9 . _ - only.
            let tenant = tenant ?? "(default)"
            totals.set("wayline_cache_lookups_total", [("tenant", tenant), ("result", "memory_hit")], to: counts.memoryHits)
            totals.set("wayline_cache_lookups_total", [("tenant", tenant), ("result", "database_hit")], to: counts.databaseHits)
            totals.set("wayline_cache_lookups_total", [("tenant", tenant), ("result", "miss")], to: counts.misses)
        }
    }
}

/// Counters that follow a total kept elsewhere: each scrape adds what the
/// total grew by since the last.
private final class CounterMirror: Sendable {
    private struct Key: Hashable {
        let label: String
        let dimensions: [String]
    }

    private let seen = Mutex<[Key: (counter: Counter, total: Int)]>([:])

    func set(_ label: String, _ dimensions: [(String, String)], to total: Int) {
        let key = Key(label: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        seen.withLock { seen in
            let entry = seen[key] ?? (Counter(label: label, dimensions: dimensions), 0)
            if total > entry.total { entry.counter.increment(by: total - entry.total) }
            seen[key] = (entry.counter, max(total, entry.total))
        }
    }
}
