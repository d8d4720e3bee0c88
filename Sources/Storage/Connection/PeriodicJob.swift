public import Logging
public import ServiceLifecycle

/// Runs `work` every `interval` until the service group shuts down, and once
/// more on the way out unless told not to; a failure is logged and retried at
/// the next tick.
public struct PeriodicJob: Service {
    private let name: String
    private let interval: Duration
    private let onShutdown: Bool
    private let logger: Logger
    private let work: @Sendable () async throws -> Void

    public init(
        _ name: String, every interval: Duration, onShutdown: Bool = true, logger: Logger,
        work: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.onShutdown = onShutdown
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            // A cancelled sleep is the shutdown: no tick then, the one below follows.
            while (try? await Task.sleep(for: interval)) != nil {
                await tick()
            }
        }
        if onShutdown { await tick() }
    }

    private func tick() async {
        let started = ContinuousClock.now
        do {
            try await work()
            JobMetrics.record(name, succeeded: true, since: started)
        } catch {
            JobMetrics.record(name, succeeded: false, since: started)
            logger.warnDatabaseFailure("\(name) failed", error)
        }
    }
}
