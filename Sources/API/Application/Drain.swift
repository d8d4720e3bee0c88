public import Logging
public import ServiceLifecycle

/// The first service to hear a graceful shutdown (SIGTERM): `/ready` turns
/// 503 and every response closes its connection, for `delay`, while the
/// server still takes requests; balancers stop sending, clients reconnect
/// elsewhere. Only then do the later services stop: the server finishes the
/// requests in flight and closes, then the pool.
public struct Drain: Service {
    let state: ServiceState
    let delay: Duration
    let logger: Logger

    public init(state: ServiceState, delay: Duration, logger: Logger) {
        self.state = state
        self.delay = delay
        self.logger = logger
    }

    public func run() async throws {
        // Cancelled rather than shut down gracefully: nothing to drain for.
        guard (try? await gracefulShutdown()) != nil else { return }
        state.beginDraining()
        logger.info("draining before shutdown", metadata: ["drain.seconds": "\(delay.components.seconds)"])
        try? await Task.sleep(for: delay)
        // What comes next stops the listener: a fault harness reads when (`make chaos`, scenario 6).
        logger.info("drained: closing the listener")
    }
}
