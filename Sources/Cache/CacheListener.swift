public import Logging
public import ServiceLifecycle
import Storage

/// Keeps this instance's L1 coherent with every other instance: listens on the
/// cache channel and applies each change. The L1 serves from memory only while
/// the listener is connected; when the connection drops it empties the L1
/// (notifications may have been missed) and reconnects with back-off.
public struct CacheListener<Payload: Sendable>: Service {
    private let cache: TieredCache<Payload>
    private let logger: Logger

    public init(cache: TieredCache<Payload>, logger: Logger) {
        self.cache = cache
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.listen() }
        cache.l1.setCoherent(false)
    }

    private func listen() async {
        await cache.repository.changes(logger: logger).run(
            connected: { cache.l1.setCoherent(true) },
            received: { cache.apply(notification: $0) },
            lost: { cache.l1.setCoherent(false) }
        )
    }
}
