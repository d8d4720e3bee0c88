@testable import API
import Foundation
import Synchronization
import Testing

/// `ComputeSlots`: at most `count` computations at once, the rest in order,
/// a full queue refused, and a cancelled wait leaving without running.
@Suite(.timeLimit(.minutes(5))) struct ComputeSlotsTests {
    @Test func oneAtATimeAndAFullQueueIsRefused() async throws {
        let slots = ComputeSlots(count: 1, queue: 2)
        let probe = Probe()
        let first = Task { try await slots.run { probe.ran(1); probe.waitUntilOpen() } }
        try await probe.waitUntil { $0 == [1] }
        let second = Task { try await slots.run { probe.ran(2) } }
        let third = Task { try await slots.run { probe.ran(3) } }
        try await Task.sleep(for: .milliseconds(100))
        // One running, two waiting: the queue is full, and the two have not run.
        await #expect(throws: ComputeSlots.Busy.self) { try await slots.run {} }
        #expect(probe.order == [1])
        probe.open()
        try await first.value
        try await second.value
        try await third.value
        #expect(probe.order.first == 1 && Set(probe.order) == [1, 2, 3])
    }

    @Test func aCancelledWaitLeavesWithoutRunning() async throws {
        let slots = ComputeSlots(count: 1, queue: 4)
        let probe = Probe()
        let holder = Task { try await slots.run { probe.ran(1); probe.waitUntilOpen() } }
        try await probe.waitUntil { $0 == [1] }
        let waiter = Task { try await slots.run { probe.ran(2) } }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        probe.open()
        try await holder.value
        #expect(probe.order == [1])
        // The slot came back: the next one runs.
        #expect(try await slots.run { 7 } == 7)
    }
}

/// What ran, in order, and a gate a blocking computation waits at until the test opens it.
private final class Probe: Sendable {
    private let state = Mutex((order: [Int](), open: false))

    var order: [Int] { state.withLock { $0.order } }

    func ran(_ number: Int) { state.withLock { $0.order.append(number) } }

    func open() { state.withLock { $0.open = true } }

    func waitUntilOpen() {
        while !state.withLock({ $0.open }) { usleep(1_000) }
    }

    func waitUntil(_ condition: ([Int]) -> Bool) async throws {
        for _ in 0..<200 where !condition(order) { try await Task.sleep(for: .milliseconds(10)) }
    }
}
