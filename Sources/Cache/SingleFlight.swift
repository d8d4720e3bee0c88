import Synchronization

/// Runs one computation per key at a time: callers that ask for a key while
/// its computation is running wait for that one and share its result (or its
/// error), so a burst of identical misses costs one computation.
public final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let running = Mutex<[Key: Task<Value, any Error>]>([:])

    public init() {}

    public func run(_ key: Key, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let (task, started) = running.withLock { running in
            if let task = running[key] { return (task, false) }
            let task = Task { try await work() }
            running[key] = task
            return (task, true)
        }
        guard started else { return try await task.value }
        // The starter waits to the end (Task.value does not cancel) and then
        // lets the next caller start afresh.
        defer { running.withLock { _ = $0.removeValue(forKey: key) } }
        return try await task.value
    }
}
