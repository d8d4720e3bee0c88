import Cache
import Logging
import ServiceLifecycle
import Storage

/// Every minute, a few of this instance's figures into the platform's
/// `system_metrics` (`record_metric`), so that `recent_metrics_by_service`
/// shows every instance side by side: per route template its request rate
/// and p99, and the live index's size and the cache's hit ratio.
struct MetricsReporter: Service {
    let repository: SystemMetricsRepository
    let service: String
    let window: RouteWindow
    let drivers: @Sendable () -> Int
    /// Cache reads so far (hits, all), every tenant's together.
    let lookups: @Sendable () -> (hits: Int, all: Int)
    let ready: @Sendable () async -> Bool
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        guard await ready() else { return }
        window.reset()
        await cancelWhenGracefulShutdown {
            var last = lookups()
            while (try? await Task.sleep(for: interval)) != nil {
                let now = lookups()
                await report(lookups: (now.hits - last.hits, now.all - last.all))
                last = now
            }
        }
    }

    private func report(lookups: (hits: Int, all: Int)) async {
        let seconds = interval.inSeconds
        var figures: [SystemMetricsRepository.Figure] = []
        for (route, stats) in window.take().sorted(by: { $0.key < $1.key }) {
            figures.append(.init(type: "throughput", name: "http.requests_per_second", value: Double(stats.count) / seconds, unit: "req/s", route: route))
            if let p99 = stats.p99 { figures.append(.init(type: "latency", name: "http.p99_ms", value: p99, unit: "ms", route: route)) }
        }
        figures.append(.init(type: "gauge", name: "live_index.drivers", value: Double(drivers()), unit: "drivers"))
        if lookups.all > 0 {
            figures.append(.init(type: "ratio", name: "cache.hit_ratio", value: Double(lookups.hits) / Double(lookups.all), unit: "ratio"))
        }
        let taken = figures
        do {
            try await abandoning(after: .seconds(5)) { [repository, service] in try await repository.record(taken, service: service) }
        } catch {
            logger.warnDatabaseFailure("metrics not recorded in system_metrics", error)
        }
    }
}
