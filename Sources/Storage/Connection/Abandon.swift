import Synchronization

/// The work did not finish within its bound and was abandoned.
public struct WorkAbandoned: Error {
    public let after: Duration
}

/// Runs `work` in a task of its own and returns its result, or throws
/// `WorkAbandoned` once `bound` passes, cancelling the task. Unlike a task
/// group, which waits for every child, this answers at the bound even when
/// the work ignores cancellation (a statement already sent on a connection
/// that will never answer); the abandoned work ends on its own later.
public func abandoning<T: Sendable>(
    after bound: Duration, _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    let settled = Settled()
    let task = Task { try await work() }
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let settle: @Sendable (Result<T, any Error>) -> Void = { result in
            guard settled.first() else { return }
            continuation.resume(with: result)
        }
        let timer = Task {
            try await Task.sleep(for: bound)
            settle(.failure(WorkAbandoned(after: bound)))
            task.cancel()
        }
        Task {
            let result = await task.result
            timer.cancel()
            settle(result)
        }
    }
}

/// True for the first caller only.
private final class Settled: Sendable {
    private let done = Atomic(false)

    func first() -> Bool { !done.exchange(true, ordering: .acquiringAndReleasing) }
}
