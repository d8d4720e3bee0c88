import Storage
import Synchronization
import Testing

/// `abandoning(after:)`: the answer comes by the bound even when the work
/// ignores cancellation, and the work's own result or error when it is first.
@Suite(.timeLimit(.minutes(5))) struct AbandonTests {
    private struct Refused: Error {}

    @Test func workThatIgnoresCancellationIsAbandonedAtTheBound() async throws {
        let finished = Flag()
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: WorkAbandoned.self) {
            try await abandoning(after: .milliseconds(100)) {
                // Sleeps through cancellation, as a statement on a dead connection waits.
                let until = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < until { try? await Task.sleep(for: .milliseconds(20)) }
                finished.set()
            }
        }
        #expect(clock.now - started < .seconds(1))
        #expect(!finished.isSet)
    }

    @Test func theWorksResultOrErrorWhenItIsFirst() async throws {
        #expect(try await abandoning(after: .seconds(5)) { 42 } == 42)
        await #expect(throws: Refused.self) {
            try await abandoning(after: .seconds(5)) { () async throws -> Int in throw Refused() }
        }
    }
}

private final class Flag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
