import Benchmark
import BenchmarkFixtures
import Cache
import Foundation

/// The cache's L1 (W5's hit path): hits and fills among 100,000 entries, and
/// the eviction policy measured: the hit ratio of SIEVE (what the L1 uses)
/// and of plain LRU on one Zipf-distributed trace, with room for 10 % of the keys.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .wayline(warmupIterations: 10, maxIterations: 20_000)

    let keys = (0..<100_000).map { "bench:\($0)" }
    let later = Date().addingTimeInterval(86_400)
    let full = L1Cache<String>(limits: L1Limits(maximumEntries: keys.count, maximumBytes: 1 << 30, backstopSeconds: 86_400))
    full.setCoherent(true)
    for key in keys {
        full.fill(key, payload: key, type: "general", tags: ["tag:\(key.count)"], expiresAt: later, cost: 100, since: full.beginFill())
    }

    Benchmark("l1_get_hit_100k_entries") { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            index = (index &+ 7_919) % keys.count
            blackHole(full.get(keys[index]))
        }
    }

    Benchmark("l1_fill_with_eviction_100k_entries") { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            index = (index &+ 7_919) % keys.count
            blackHole(full.fill("new:\(index)", payload: "v", type: "general", tags: [], expiresAt: later, cost: 100, since: full.beginFill()))
        }
    }

    let trace = Fixtures.zipfTrace(count: 1_000_000, keys: keys.count)
    let capacity = keys.count / 10
    let hitRatio = BenchmarkMetric.custom("hit ratio ‰", polarity: .prefersLarger, useScalingFactor: false)
    // One replay of a fixed trace: the ratio is exact, the same on every run.
    let replay = Benchmark.Configuration(metrics: [hitRatio, .wallClock, .mallocCountTotal], warmupIterations: 0, maxIterations: 1)

    Benchmark("eviction_sieve_zipf_10pct", configuration: replay) { benchmark in
        let cache = L1Cache<Int>(limits: L1Limits(maximumEntries: capacity, maximumBytes: 1 << 30, backstopSeconds: 86_400))
        cache.setCoherent(true)
        var hits = 0
        for index in trace {
            if cache.get(keys[index]) != nil {
                hits += 1
            } else {
                cache.fill(keys[index], payload: index, type: "general", tags: [], expiresAt: later, cost: 1, since: cache.beginFill())
            }
        }
        benchmark.measurement(hitRatio, hits * 1_000 / trace.count)
    }

    Benchmark("eviction_lru_zipf_10pct", configuration: replay) { benchmark in
        var cache = LRUReference(capacity: capacity)
        var hits = 0
        for index in trace where cache.access(keys[index]) { hits += 1 }
        benchmark.measurement(hitRatio, hits * 1_000 / trace.count)
    }
}
