public import Logging
import Metrics
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
            Counter(label: "wayline_job_runs_total", dimensions: [("job", name), ("outcome", "ok")]).increment()
        } catch {
            Counter(label: "wayline_job_runs_total", dimensions: [("job", name), ("outcome", "failed")]).increment()
            logger.warnDatabaseFailure("\(name) failed", error)
        }
        Metrics.Timer(label: "wayline_job_duration_seconds", dimensions: [("job", name)]).record(duration: ContinuousClock.now - started)
    }
}
