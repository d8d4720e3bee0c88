import Metrics
import Synchronization

/// How long a cache change takes to reach the instances
/// (`wayline_cache_notification_lag_seconds`): this instance's own writes,
/// timed from when their statement is sent until their notification comes
/// back to it through PostgreSQL's LISTEN, as every other instance receives
/// it. From the sending, not the commit: the notification can arrive before
/// the statement's answer does.
final class NotificationLag: Sendable {
    /// At most this many writes wait for their notification; a full map
    /// (notifications lost with the listening connection) starts again empty.
    static let capacity = 10_000

    private let sent = Mutex<[String: ContinuousClock.Instant]>([:])
    private let timer = Metrics.Timer(label: "wayline_cache_notification_lag_seconds")

    /// The write of `key` is being sent.
    func writing(_ key: String) {
        sent.withLock { sent in
            if sent.count >= Self.capacity { sent.removeAll(keepingCapacity: true) }
            sent[key] = .now
        }
    }

    /// A notification for `key` arrived.
    func notified(_ key: String) {
        guard let at = sent.withLock({ $0.removeValue(forKey: key) }) else { return }
        timer.record(duration: ContinuousClock.now - at)
    }
}
