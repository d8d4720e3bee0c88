public import Logging
public import Storage

extension TieredCache {
    /// The cache's periodic work: flushing counted hits and misses to the
    /// tables, and removing dead entries (expired, or invalidated) in small
    /// batches, each its own short transaction with a pause between, so
    /// cleanup never holds a long lock.
    ///
    /// - Parameters:
    ///   - flushInterval: how often hit and miss counts per type reach `cache_lookup_counters`.
    ///   - keyFlushInterval: how often per-key hit counts reach `cache_entries`.
    ///     Every key read in an interval costs one row update then, so a longer
    ///     interval means far fewer updates when many keys are read.
    ///     `GET /v1/cache/stats` flushes everything first, so it is always current.
    public func maintenance(
        flushInterval: Duration = .seconds(10), keyFlushInterval: Duration = .seconds(60),
        cleanupInterval: Duration = .seconds(10), cleanupBatch: Int = 1_000, logger: Logger
    ) -> [PeriodicJob] {
        [
            PeriodicJob("cache lookup counting", every: flushInterval, logger: logger) {
                try await self.flushLookups(includingKeys: false)
            },
            PeriodicJob("cache key hit counting", every: keyFlushInterval, logger: logger) {
                try await self.flushLookups(includingKeys: true)
            },
            // Not on shutdown: a backlog of dead rows would hold the exit up,
            // and the next instance removes them anyway.
            PeriodicJob("cache cleanup", every: cleanupInterval, onShutdown: false, logger: logger) {
                try await self.removeDead(batchSize: cleanupBatch, logger: logger)
            },
        ]
    }

    private func removeDead(batchSize: Int, logger: Logger) async throws {
        var removed = 0
        while !Task.isCancelled {
            let batch = try await repository.deleteDead(batchSize: batchSize)
            removed += batch
            guard batch == batchSize else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        if removed > 0 { logger.info("dead cache entries removed", metadata: ["cache.removed": "\(removed)"]) }
    }
}
