import Storage
import Synchronization

/// Requests per route template over the current reporting window, and a
/// bounded sample of their durations for the window's p99: what each
/// instance writes to `system_metrics` every minute (`MetricsReporter`).
final class RouteWindow: Sendable {
    /// Durations kept per route and window; past it, each new one replaces a
    /// random kept one (reservoir sampling), so the sample stays uniform.
    static let sampleSize = 1_024

    struct Route: Sendable {
        var count = 0
        var milliseconds: [Double] = []

        /// The 99th percentile of the sample (nearest rank), nil when empty.
        var p99: Double? {
            guard !milliseconds.isEmpty else { return nil }
            let sorted = milliseconds.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        }
    }

    private let routes = Mutex<[String: Route]>([:])

    func add(_ route: String, _ duration: Duration) {
        let milliseconds = duration.inMilliseconds
        routes.withLock { routes in
            var entry = routes[route] ?? Route()
            entry.count += 1
            if entry.milliseconds.count < Self.sampleSize {
                entry.milliseconds.append(milliseconds)
            } else if case let slot = Int.random(in: 0..<entry.count), slot < Self.sampleSize {
                entry.milliseconds[slot] = milliseconds
            }
            routes[route] = entry
        }
    }

    /// Begins a window, forgetting what came before.
    func reset() {
        routes.withLock { $0 = [:] }
    }

    /// The window so far, and a new one begun.
    func take() -> [String: Route] {
        routes.withLock { routes in
            defer { routes = [:] }
            return routes
        }
    }
}
