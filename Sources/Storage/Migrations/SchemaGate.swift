import Synchronization

/// Opens once this instance has migrated the schema. The services that read
/// tables as soon as they start (the live index follower, the road network
/// loader) wait on it: they start beside the migrations, and on a fresh
/// database the follower's first polls failed on tables that did not exist
/// yet; a loader reading the road tables while a migration changes them would
/// load nothing until the next import.
public final class SchemaGate: Sendable {
    private let opened = Atomic(false)

    public init() {}

    public var isOpen: Bool { opened.load(ordering: .acquiring) }

    public func open() {
        opened.store(true, ordering: .releasing)
    }

    /// Returns true once the gate is open, false if the task is cancelled
    /// first. Polled rather than parked on a continuation: the wait has to
    /// end on cancellation too (a failed migration cancels the services, and
    /// so does a graceful shutdown inside `cancelWhenGracefulShutdown`), and
    /// the migrations take a moment, once per start.
    public func wait() async -> Bool {
        while !isOpen {
            guard (try? await Task.sleep(for: .milliseconds(20))) != nil else { return false }
        }
        return true
    }
}
