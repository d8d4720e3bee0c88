import Foundation

/// Runs blocking or long CPU-bound work on a thread of its own, never on one
/// of Swift concurrency's (one per core), which every request and deadline
/// of the process shares.
func onOwnThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}
