import Hummingbird
import Metrics
import Synchronization

/// `wayline_http_requests_total` and `wayline_http_request_duration_seconds`
/// by route template (never a raw path: ids would make a series each),
/// method and status. Handles are kept per label set, so a request costs a
/// dictionary lookup, not a registry search.
final class RequestMetrics: Sendable {
    private struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private struct Handles: Sendable {
        let count: Counter
        let duration: Metrics.Timer
    }

    private static let methods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect]

    private let handles = Mutex<[Key: Handles]>([:])
    /// The reporting window of `MetricsReporter`.
    let window = RouteWindow()

    func record(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, duration: Duration) {
        // Methods outside HTTP's own are one label: each would be a series.
        let method = Self.methods.contains(method) ? method : HTTPRequest.Method("OTHER")!
        let key = Key(route: route, method: method, status: status.code)
        let found = handles.withLock { handles in
            if let found = handles[key] { return found }
            let made = Handles(
                count: Counter(label: "wayline_http_requests_total", dimensions: [
                    ("route", route), ("method", method.rawValue), ("status", String(status.code)),
                ]),
                duration: Metrics.Timer(label: "wayline_http_request_duration_seconds", dimensions: [("route", route), ("method", method.rawValue)])
            )
            handles[key] = made
            return made
        }
        found.count.increment()
        found.duration.record(duration: duration)
        window.add(route, duration)
    }
}
