public import Hummingbird
public import Storage
import Logging
import Synchronization

/// `GET /health`: the process is alive. `GET /ready`: the instance may take
/// traffic (started, not draining, the database answering, carrying
/// exactly this build's migrations, and the geofences loaded, so that every
/// write it takes is tested against them); 503 with the reason otherwise.
public final class HealthController: Sendable {
    private let health: DatabaseHealth
    private let state: ServiceState
    private let runner: MigrationRunner
    private let fences: LiveGeofences
    /// Migrations cannot be un-applied under a running instance, so once they
    /// have been found current, readiness only re-checks that the database answers.
    private let migrationsVerified = Mutex(false)

    public init(health: DatabaseHealth, state: ServiceState, runner: MigrationRunner, fences: LiveGeofences) {
        self.health = health
        self.fences = fences
        self.state = state
        self.runner = runner
    }

    private static let alive = ByteBuffer(string: #"{"status":"ok"}"#)
    static let migrationCheckBound = Duration.seconds(5)

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        // Load balancers poll this, and the benchmarks take it as the HTTP
        // ceiling: the body is kept ready rather than written per request.
        router.get("health") { _, _ in Response.json(Self.alive) }
        // Written as every other answer is (JSONEncoder's member order
        // changed from one process to the next): status, then any reason.
        router.get("ready") { _, context in
            let reason = await self.unreadyReason(logger: context.logger)
            var json = JSONWriter(capacity: 128)
            json.beginObject()
            json.field("status", reason == nil ? "ready" : "unavailable")
            if let reason { json.field("reason", reason) }
            json.endObject()
            return Response.json(json.buffer, status: reason == nil ? .ok : .serviceUnavailable)
        }
    }

    private func unreadyReason(logger: Logger) async -> String? {
        if state.isDraining { return "shutting down" }
        // Before the schema is ready, and whenever the database is away, the
        // database's state is the reason (the monitor probes it every second).
        if let down = health.downReason { return down }
        if !state.schema.isOpen { return "starting: migrating the database" }
        if migrationsVerified.withLock({ $0 }) { return fences.isLoaded ? nil : "starting: loading the geofences" }
        do {
            // Bounded: probes run outside the request deadline, and a probe
            // must answer even when a statement never does (a balancer
            // retries; a waiting probe only holds a connection).
            let status = try await abandoning(after: Self.migrationCheckBound) { [runner] in try await runner.status() }
            guard status.isCurrent else {
                return "schema not current: \(status.pending.count) pending, \(status.changed.count) changed, "
                    + "\(status.unknown.count) unknown migrations"
            }
            migrationsVerified.withLock { $0 = true }
            return fences.isLoaded ? nil : "starting: loading the geofences"
        } catch {
            logger.warning("readiness: cannot read migrations", metadata: ["reason": "\(DatabaseErrorMessage.describe(error))"])
            return "cannot read the schema's migration record"
        }
    }
}
