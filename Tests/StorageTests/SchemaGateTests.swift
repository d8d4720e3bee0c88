import Storage
import Testing

@Suite(.timeLimit(.minutes(5))) struct SchemaGateTests {
    @Test func waitersGoOnOnceTheGateOpens() async {
        let gate = SchemaGate()
        async let waited = gate.wait()
        try? await Task.sleep(for: .milliseconds(100))
        gate.open()
        #expect(await waited)
        // Opened, it stays open.
        #expect(await gate.wait())
    }

    /// A failed migration or a shutdown cancels the services that wait: they
    /// must stop waiting then, or the service group never finishes.
    @Test func aCancelledWaitEndsUnopened() async {
        let gate = SchemaGate()
        let waiter = Task { await gate.wait() }
        try? await Task.sleep(for: .milliseconds(100))
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}
