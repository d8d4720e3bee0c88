import Synchronization

/// Expires deadlines: one task, waking every `resolution` while any are
/// pending, calls each expired entry's action once. Cheaper per request than
/// a sleeping task each, which would register a timer of its own.
final class DeadlineTicker: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var pending: [UInt64: (deadline: ContinuousClock.Instant, started: ContinuousClock.Instant, expire: @Sendable () -> Void)] = [:]
        var running = false
    }

    private let state = Mutex(State())
    private let resolution: Duration
    /// While this says so, an entry also expires once `urgentLimit` has
    /// passed since it was added: when the database is found down, requests
    /// already waiting for it answer as promptly as new ones.
    private let urgent: @Sendable () -> Bool
    private let urgentLimit: Duration

    init(resolution: Duration = .milliseconds(50), urgentLimit: Duration, urgent: @escaping @Sendable () -> Bool) {
        self.resolution = resolution
        self.urgentLimit = urgentLimit
        self.urgent = urgent
    }

    /// Registers `expire` to run once `deadline` has passed, unless removed first.
    func add(_ deadline: ContinuousClock.Instant, expire: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, start) = state.withLock { state in
            state.nextID &+= 1
            state.pending[state.nextID] = (deadline, .now, expire)
            defer { state.running = true }
            return (state.nextID, !state.running)
        }
        if start { Task.detached { await self.tick() } }
        return id
    }

    func remove(_ id: UInt64) {
        _ = state.withLock { $0.pending.removeValue(forKey: id) }
    }

    /// Runs until nothing is pending; `add` starts it again.
    private func tick() async {
        while true {
            try? await Task.sleep(for: resolution)
            let now = ContinuousClock.now
            let hurry = urgent()
            let (expired, stop) = state.withLock { state in
                let due = state.pending.filter { $0.value.deadline <= now || (hurry && $0.value.started + urgentLimit <= now) }
                for id in due.keys { state.pending.removeValue(forKey: id) }
                // Stopping under the lock: an `add` after this starts another tick.
                if state.pending.isEmpty { state.running = false }
                return (due.values.map(\.expire), !state.running)
            }
            for expire in expired { expire() }
            if stop { return }
        }
    }
}
