public import Logging
public import ServiceLifecycle
import Storage

/// The cache's periodic work: flushing counted hits and misses to the tables,
/// and removing dead entries (expired, or invalidated) in small batches, each its own short
/// transaction with a pause between, so cleanup never holds a long lock.
public struct CacheMaintenance<Payload: Sendable>: Service {
    private let cache: TieredCache<Payload>
    private let flushInterval: Duration
    private let keyFlushInterval: Duration
    private let cleanupInterval: Duration
    private let cleanupBatch: Int
    private let logger: Logger

    /// - Parameters:
    ///   - flushInterval: how often hit and miss counts per type reach `cache_lookup_counters`.
    ///   - keyFlushInterval: how often per-key hit counts reach `cache_entries`.
    ///     Every key read in an interval costs one row update then, so a longer
    ///     interval means far fewer updates when many keys are read.
    ///     `GET /v1/cache/stats` flushes everything first, so it is always current.
    public init(
        cache: TieredCache<Payload>, flushInterval: Duration = .seconds(10), keyFlushInterval: Duration = .seconds(60),
        cleanupInterval: Duration = .seconds(10), cleanupBatch: Int = 1_000, logger: Logger
    ) {
        self.cache = cache
        self.flushInterval = flushInterval
        self.keyFlushInterval = keyFlushInterval
        self.cleanupInterval = cleanupInterval
        self.cleanupBatch = cleanupBatch
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
        try? await cache.flushLookups()
    }

    private func loop() async {
        let clock = ContinuousClock()
        var nextCleanup = clock.now
        var nextKeyFlush = clock.now + keyFlushInterval
        while !Task.isCancelled {
            do {
                let includingKeys = clock.now >= nextKeyFlush
                if includingKeys { nextKeyFlush = clock.now + keyFlushInterval }
                try await cache.flushLookups(includingKeys: includingKeys)
                if clock.now >= nextCleanup {
                    nextCleanup = clock.now + cleanupInterval
                    try await removeDead()
                }
            } catch {
                logger.warning("cache maintenance failed", metadata: ["error": "\(DatabaseErrorMessage.describe(error))"])
            }
            try? await Task.sleep(for: flushInterval)
        }
    }

    private func removeDead() async throws {
        var removed = 0
        while !Task.isCancelled {
            let batch = try await cache.repository.deleteDead(batchSize: cleanupBatch)
            removed += batch
            guard batch == cleanupBatch else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        if removed > 0 { logger.info("dead cache entries removed", metadata: ["cache.removed": "\(removed)"]) }
    }
}
