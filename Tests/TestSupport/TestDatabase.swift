import Foundation
public import Logging
public import PostgresNIO
public import Storage

/// Throwaway databases on the real PostgreSQL + PostGIS server the test script
/// started (`WAYLINE_TEST_DATABASE_URL`, printed by `wayline db start`).
///
/// Each test gets a database of its own, so tests run in parallel without
/// seeing each other's rows. Migrating takes seconds, so the migrations run
/// once per test process into a template database, and each test's database is
/// a copy of it (`CREATE DATABASE … TEMPLATE`), dropped afterwards.
public enum TestDatabase {
    public static let logger: Logger = {
        var logger = Logger(label: "wayline.tests")
        // PostgresNIO warns when a query is queued before the pool's run() has
        // started, which scoped clients do by design.
        logger.logLevel = .error
        return logger
    }()

    /// The server's settings, pointing at its maintenance database.
    public static func adminSettings() throws -> DatabaseSettings {
        try DatabaseSettings(url: try url())
    }

    /// The server's URL, naming `database` if given (for a process the test
    /// starts, as a user would give it `DATABASE_URL`).
    public static func url(database: String? = nil) throws -> String {
        guard let url = ProcessInfo.processInfo.environment["WAYLINE_TEST_DATABASE_URL"] else {
            throw TestDatabaseError.notConfigured
        }
        guard let database else { return url }
        guard var components = URLComponents(string: url) else { throw TestDatabaseError.notConfigured }
        components.path = "/\(database)"
        guard let named = components.string else { throw TestDatabaseError.notConfigured }
        return named
    }

    /// The repository's migrations, as the service applies them.
    public static func migrations() throws -> [Migration] {
        try Migration.load(from: Migration.defaultDirectory())
    }

    /// Runs `body` against a fully migrated database of its own.
    public static func withMigratedDatabase<Result: Sendable>(
        _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await withMigratedDatabaseSettings { settings in
            try await PostgresClient.withRunning(pooled(settings), logger: logger, body)
        }
    }

    /// Runs `body` against an empty database of its own (PostGIS not yet installed).
    public static func withEmptyDatabase<Result: Sendable>(
        _ body: (PostgresClient, DatabaseSettings) async throws -> Result
    ) async throws -> Result {
        var settings = try adminSettings()
        settings.database = "test_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin("CREATE DATABASE \(settings.database)")
        do {
            let result = try await PostgresClient.withRunning(pooled(settings), logger: logger) { try await body($0, settings) }
            try await admin("DROP DATABASE \(settings.database) WITH (FORCE)")
            return result
        } catch {
            try? await admin("DROP DATABASE \(settings.database) WITH (FORCE)")
            throw error
        }
    }

    /// Runs `body` with the settings of a fully migrated database of its own,
    /// for code that runs its own clients (an application under test).
    public static func withMigratedDatabaseSettings<Result: Sendable>(
        _ body: (DatabaseSettings) async throws -> Result
    ) async throws -> Result {
        var settings = try adminSettings()
        settings.database = "test_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin("CREATE DATABASE \(settings.database) TEMPLATE \(try await templateName.value)")
        do {
            let result = try await body(settings)
            try await admin("DROP DATABASE \(settings.database) WITH (FORCE)")
            return result
        } catch {
            try? await admin("DROP DATABASE \(settings.database) WITH (FORCE)")
            throw error
        }
    }

    /// Created on first use; named per process so concurrent runs never share one.
    private static let templateName = Task<String, any Error> {
        var settings = try adminSettings()
        settings.database = "template_\(ProcessInfo.processInfo.processIdentifier)"
        try await admin("DROP DATABASE IF EXISTS \(settings.database) WITH (FORCE)")
        try await admin("CREATE DATABASE \(settings.database)")
        let files = try Self.migrations()
        _ = try await PostgresClient.withRunning(pooled(settings), logger: logger) { client in
            try await MigrationRunner(migrations: files, client: client, logger: logger).migrate()
        }
        // Copying requires that nobody is connected to the template any more.
        try await admin("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = '\(settings.database)' AND pid <> pg_backend_pid()
            """)
        return settings.database
    }

    /// Runs one statement on the maintenance database. Test code only: the
    /// statements are DDL with names this file generates.
    public static func admin(_ sql: String) async throws {
        let settings = try adminSettings()
        _ = try await PostgresClient.withRunning(pooled(settings), logger: logger) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: sql)).collect()
        }
    }

    /// `settings` as the service's login role (`wayline db start` creates it).
    public static func serviceSettings(_ settings: DatabaseSettings) -> DatabaseSettings {
        var settings = settings
        settings.username = EmbeddedPostgres.serviceRole
        return settings
    }

    /// A client configuration for tests: at most eight connections, since
    /// suites run in parallel against one server.
    public static func pooled(_ settings: DatabaseSettings) -> PostgresClient.Configuration {
        var configuration = settings.clientConfiguration
        configuration.options.maximumConnections = 8
        return configuration
    }
}

public enum TestDatabaseError: Error, CustomStringConvertible {
    case notConfigured

    public var description: String {
        "WAYLINE_TEST_DATABASE_URL is not set: run the tests with `make test`, which starts a throwaway PostGIS"
    }
}
