import Foundation
import Synchronization

/// At most `count` CPU-bound computations at once (nearby by road time):
/// each holds one of Swift concurrency's threads, one per core, from start
/// to end, and with every thread held the service answers nothing else,
/// `/health` included. Others wait their turn, first come first served, at
/// most `queue` of them; beyond that `Busy` (503). A wait ends early when
/// its request is cancelled (its deadline passed), and then nothing runs.
final class ComputeSlots: Sendable {
    struct Busy: Error {}

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var free: Int
        var waiting: [Waiter] = []
        var nextID = 0
    }

    private let state: Mutex<State>
    private let queue: Int

    /// - Parameter count: by default all cores but one, at least one.
    init(count: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1), queue: Int = 32) {
        state = Mutex(State(free: count))
        self.queue = queue
    }

    func run<Result>(_ body: () throws -> Result) async throws -> Result {
        try await acquire()
        defer { release() }
        try Task.checkCancellation()
        return try body()
    }

    private func acquire() async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let taken: Bool? = state.withLock { state in
                    if state.free > 0 {
                        state.free -= 1
                        return true
                    }
                    guard state.waiting.count < queue else { return nil }
                    state.waiting.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                switch taken {
                case true?: continuation.resume()
                case nil: continuation.resume(throwing: Busy())
                case false?: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Hands the slot to the first waiter, or frees it.
    private func release() {
        let next = state.withLock { state -> Waiter? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume()
    }
}
