import Hummingbird
import Storage
import Synchronization

/// Ends every request by its deadline (`WAYLINE_REQUEST_TIMEOUT`, 5 s by
/// default): past it the client gets a 504 with the JSON error and
/// `Retry-After`, whatever the work is waiting on. While the database is
/// found down the deadline is `unavailableTimeout` and the answer a 503: a
/// request that needs the database then fails within a second instead of
/// queueing for a connection the pool cannot open, and one answered from
/// memory (nearby from the live index, cached routes) still succeeds.
///
/// The work runs in a task of its own, so the answer does not wait for work
/// that ignores cancellation: a statement in flight on a slow connection
/// cannot be recalled, and a position write queued for a batch completes
/// with it. Such a write may still take effect after its 504; writes are
/// idempotent upserts, so the client's retry is safe.
struct DeadlineResponder<Next: HTTPResponder>: HTTPResponder where Next.Context == WaylineContext {
    static var unavailableTimeout: Duration { .milliseconds(800) }

    let next: Next
    let timeout: Duration
    let health: DatabaseHealth
    private let ticker: DeadlineTicker

    init(next: Next, timeout: Duration, health: DatabaseHealth) {
        self.next = next
        self.timeout = timeout
        self.health = health
        ticker = DeadlineTicker(urgentLimit: Self.unavailableTimeout) { !health.isUp }
    }

    func respond(to request: Request, context: WaylineContext) async throws -> Response {
        if AuthResponder<Next>.isProbe(request.uri.string) { return try await next.respond(to: request, context: context) }
        let databaseUp = health.isUp
        let outcome = Outcome()
        let work = Task { [next] in
            do {
                outcome.settle(.success(try await next.respond(to: request, context: context)))
            } catch {
                outcome.settle(.failure(error))
            }
        }
        let deadline = ticker.add(.now + (databaseUp ? timeout : Self.unavailableTimeout)) {
            if outcome.settle(.failure(DeadlinePassed())) { work.cancel() }
        }
        defer { ticker.remove(deadline) }
        do {
            return try await withTaskCancellationHandler {
                try await outcome.value()
            } onCancel: {
                // The caller stopped waiting (a test's time limit, a shutdown's
                // cancellation): it gets its answer now, not when the work or
                // the deadline ends.
                if outcome.settle(.failure(CancellationError())) { work.cancel() }
            }
        } catch is DeadlinePassed {
            // A request that arrived while the database was down waited on
            // it: a 503 even when the database is back by the deadline.
            let error = databaseUp && health.isUp
                ? ErrorMiddleware<WaylineContext>.timedOut("the request did not finish within \(Self.seconds(timeout))")
                : ErrorMiddleware<WaylineContext>.databaseUnavailable
            return try error.response(from: request, context: context)
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let seconds = duration.inSeconds
        return seconds.rounded() == seconds ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}

/// The deadline passed before the work answered.
private struct DeadlinePassed: Error {}

/// A request's outcome: the work's answer or the deadline, whichever settles first.
private final class Outcome: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Response, any Error>?)
        case settled(Result<Response, any Error>)
        case taken
    }

    private let state = Mutex(State.waiting(nil))

    /// Settles it unless already settled; true if this call did.
    @discardableResult
    func settle(_ result: Result<Response, any Error>) -> Bool {
        let waiter: CheckedContinuation<Response, any Error>?? = state.withLock { state in
            guard case .waiting(let continuation) = state else { return .none }
            if let continuation {
                state = .taken
                return .some(continuation)
            }
            state = .settled(result)
            return .some(nil)
        }
        guard let waiter else { return false }
        waiter?.resume(with: result)
        return true
    }

    func value() async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            let settled: Result<Response, any Error>? = state.withLock { state in
                switch state {
                case .settled(let result):
                    state = .taken
                    return result
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                case .taken:
                    return .failure(DeadlinePassed())
                }
            }
            if let settled { continuation.resume(with: settled) }
        }
    }
}
