import Auth
import Metrics

/// `wayline_auth_failures_total` by reason and `wayline_rate_limited_total`
/// by who was limited. Both label sets are closed (the `AuthFailure` cases,
/// three kinds of caller), so every handle is made once, up front.
struct AuthMetrics: Sendable {
    /// Every 401 is built by `APIError.unauthorized`, wherever it is decided:
    /// one set of handles for the process, made at the first refusal.
    static let shared = AuthMetrics()

    private let byReason: [AuthFailure: Counter]
    private let byCaller: [String: Counter]

    private init() {
        byReason = Dictionary(uniqueKeysWithValues: AuthFailure.allCases.map {
            ($0, Counter(label: "wayline_auth_failures_total", dimensions: [("reason", $0.rawValue)]))
        })
        byCaller = Dictionary(uniqueKeysWithValues: ["address", "user", "service"].map {
            ($0, Counter(label: "wayline_rate_limited_total", dimensions: [("caller", $0)]))
        })
    }

    func refused(_ failure: AuthFailure) {
        byReason[failure]?.increment()
    }

    func limited(_ caller: String) {
        byCaller[caller]?.increment()
    }
}
