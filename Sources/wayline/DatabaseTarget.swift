import Logging
import PostgresNIO
import Storage

/// The database a command works on: the server named by `DATABASE_URL`, or the
/// embedded cluster, started on demand and stopped again by whoever started it.
struct DatabaseTarget {
    /// The owner's settings: migrations and imports.
    let settings: DatabaseSettings
    /// What `serve` answers requests with: the embedded cluster's service
    /// role, or `DATABASE_URL` as given.
    var serviceSettings: DatabaseSettings { embedded?.serviceSettings ?? settings }
    /// The embedded cluster's home, or nil for a `DATABASE_URL`.
    var embeddedDataDirectory: String? { embedded?.dataDirectory }
    /// The embedded cluster, or nil for a `DATABASE_URL`.
    let embedded: EmbeddedPostgres?
    private let startedHere: Bool

    /// - Parameter probe: connect to a `DATABASE_URL` once and fail at once if
    ///   it does not answer (the commands); `serve` waits for it instead.
    static func resolve(_ environment: Environment, probe: Bool = true, logger: Logger) async throws -> DatabaseTarget {
        if let url = environment.databaseURL {
            let settings = try DatabaseSettings(url: url)
            if probe { try await DatabaseProbe.connect(settings, logger: logger) }
            return DatabaseTarget(settings: settings, embedded: nil, startedHere: false)
        }
        let embedded = try EmbeddedPostgres(dataDirectory: environment.dataDirectory)
        logger.info("using the embedded PostgreSQL", metadata: ["db.data_dir": "\(embedded.dataDirectory)"])
        // A cluster left running by a process that no longer exists (a
        // `serve` killed with SIGKILL) is taken over: this process stops it.
        let started = try await embedded.start() || embedded.ownerIsGone()
        if started { embedded.recordOwner() }
        do {
            try await embedded.createDatabaseIfMissing(logger: logger)
        } catch {
            if started { try? await embedded.stop() }
            throw error
        }
        return DatabaseTarget(settings: embedded.settings, embedded: embedded, startedHere: started)
    }

    /// Stops the embedded cluster if this process started it.
    func release(logger: Logger) async {
        guard startedHere, let embedded else { return }
        do {
            try await embedded.stop()
            logger.info("stopped the embedded PostgreSQL")
        } catch {
            logger.error("could not stop the embedded PostgreSQL", metadata: ["error": "\(error)"])
        }
    }
}

extension DatabaseTarget {
    /// What the one-shot commands share: the environment's logger, this
    /// build's migrations, and a client of the target database for as long as
    /// `body` runs, the embedded cluster stopped afterwards if started for it.
    static func withClient<Result: Sendable>(
        _ body: (_ client: PostgresClient, _ target: DatabaseTarget, _ migrations: [Migration], _ logger: Logger) async throws -> Result
    ) async throws -> Result {
        let environment = Environment()
        let logger = try LoggingSetup.bootstrap(environment)
        let migrations = try Migration.load(from: Migration.defaultDirectory())
        let target = try await resolve(environment, logger: logger)
        return try await target.releasing(logger: logger) {
            try await PostgresClient.withRunning(target.settings.clientConfiguration, logger: logger) { client in
                try await body(client, target, migrations, logger)
            }
        }
    }

    /// Runs `body`, then stops the embedded cluster if this process started it, whatever the outcome.
    func releasing<Result>(logger: Logger, _ body: () async throws -> Result) async throws -> Result {
        do {
            let result = try await body()
            await release(logger: logger)
            return result
        } catch {
            await release(logger: logger)
            throw error
        }
    }
}
