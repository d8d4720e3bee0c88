public import Storage
import Synchronization

/// Where this instance is in its life, as requests and `/ready` see it:
/// starting (the schema gate still shut: the database not yet reached and
/// migrated), serving, or draining before it stops.
public final class ServiceState: Sendable {
    public let schema: SchemaGate
    private let draining = Atomic(false)

    public init(schema: SchemaGate = SchemaGate()) {
        self.schema = schema
    }

    /// Shutting down: `/ready` says so and every response closes its connection.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    public func beginDraining() { draining.store(true, ordering: .relaxed) }
}
