public import Logging
public import Storage

extension TieredCache {
    /// This instance's periodic work: flushing the hits and misses it counted to the tables.
    ///
    /// - Parameters:
    ///   - flushInterval: how often hit and miss counts per type reach `cache_lookup_counters`.
    ///   - keyFlushInterval: how often per-key hit counts reach `cache_entries`.
    ///     Every key read in an interval costs one row update then, so a longer
    ///     interval means far fewer updates when many keys are read.
    ///     `GET /v1/cache/stats` flushes everything first, so it is always current.
    public func maintenance(
        flushInterval: Duration = .seconds(10), keyFlushInterval: Duration = .seconds(60), logger: Logger
    ) -> [PeriodicJob] {
        [
            PeriodicJob("cache lookup counting", every: flushInterval, logger: logger) {
                try await self.flushLookups(includingKeys: false)
            },
            PeriodicJob("cache key hit counting", every: keyFlushInterval, logger: logger) {
                try await self.flushLookups(includingKeys: true)
            },
        ]
    }

    /// Removing dead entries (expired, or invalidated), once per period
    /// across instances: in small batches, each its own short transaction
    /// with a pause between, so cleanup never holds a long lock. It covers
    /// what the seed's `cleanup_expired_cache` removes (expired rows) and the
    /// rows invalidation leaves.
    public func cleanupJob(every interval: Duration = .seconds(10), batchSize: Int = 1_000, logger: Logger) -> MaintenanceJob {
        MaintenanceJob("wayline.cache_cleanup", every: interval) { _ in
            ["removed": try await self.removeDead(batchSize: batchSize, logger: logger)]
        }
    }

    private func removeDead(batchSize: Int, logger: Logger) async throws -> Int {
        var removed = 0
        while !Task.isCancelled {
            let batch = try await repository.deleteDead(batchSize: batchSize)
            removed += batch
            guard batch == batchSize else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        if removed > 0 { logger.info("dead cache entries removed", metadata: ["cache.removed": "\(removed)"]) }
        return removed
    }
}
