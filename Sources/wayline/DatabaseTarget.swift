import Logging
import Storage

/// The database a command works on: the server named by `DATABASE_URL`, or the
/// embedded cluster, started on demand and stopped again by whoever started it.
struct DatabaseTarget {
    let settings: DatabaseSettings
    private let embedded: EmbeddedPostgres?
    private let startedHere: Bool

    static func resolve(_ environment: Environment, logger: Logger) async throws -> DatabaseTarget {
        if let url = environment.databaseURL {
            let settings = try DatabaseSettings(url: url)
            try await DatabaseProbe.connect(settings, logger: logger)
            return DatabaseTarget(settings: settings, embedded: nil, startedHere: false)
        }
        let embedded = try EmbeddedPostgres(dataDirectory: environment.dataDirectory)
        logger.info("using the embedded PostgreSQL", metadata: ["db.data_dir": "\(embedded.dataDirectory)"])
        let started = try embedded.start()
        do {
            try await embedded.createDatabaseIfMissing(logger: logger)
        } catch {
            if started { try? embedded.stop() }
            throw error
        }
        return DatabaseTarget(settings: embedded.settings, embedded: embedded, startedHere: started)
    }

    /// Stops the embedded cluster if this process started it.
    func release(logger: Logger) {
        guard startedHere, let embedded else { return }
        do {
            try embedded.stop()
            logger.info("stopped the embedded PostgreSQL")
        } catch {
            logger.error("could not stop the embedded PostgreSQL", metadata: ["error": "\(error)"])
        }
    }
}
