import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Storage

/// Brings the schema up to this build while the server already answers:
/// waits for the database with back-off (`/health` 200 and `/ready` 503 with
/// the reason meanwhile), migrates, then opens the schema gate that requests
/// and the services reading tables wait on. A database still unreachable
/// after `wait` ends the service, and with it the process, with one line
/// saying why.
struct Startup: Service {
    let runner: MigrationRunner
    let schema: SchemaGate
    /// The pool requests use (its role is checked for row-level security).
    let client: PostgresClient
    /// The pool migrations run on.
    let owner: PostgresClient
    let wait: Duration
    let logger: Logger

    func run() async throws {
        let clock = ContinuousClock()
        let giveUp = clock.now + wait
        var pause = Duration.milliseconds(250)
        while true {
            do {
                try await DatabaseProbe.check(owner, timeout: .seconds(2))
                break
            } catch {
                guard clock.now + pause < giveUp else { throw DatabaseWaitExpired(wait: wait, reason: error.reason) }
                logger.warning("waiting for the database", metadata: ["reason": "\(error.reason)", "retry_in": "\(pause)"])
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(2))
            }
        }
        let applied = try await runner.migrate()
        schema.open()
        logger.info("schema ready", metadata: ["migrations.applied": "\(applied.count)"])
        if try await DatabaseRole.bypassesRowLevelSecurity(client) {
            logger.warning("the database role of DATABASE_URL bypasses row-level security (a superuser, BYPASSRLS, or the tables' owner): the database does not enforce access control as well; serve with a role granted service_role")
        }
        // A service that returns ends the application: this one stays until it stops.
        try? await gracefulShutdown()
    }
}

/// The database did not answer within `WAYLINE_DB_WAIT`.
struct DatabaseWaitExpired: Error, CustomStringConvertible {
    let wait: Duration
    let reason: String

    var description: String {
        "the database did not answer within \(wait.components.seconds) s (WAYLINE_DB_WAIT): \(reason)"
    }
}
