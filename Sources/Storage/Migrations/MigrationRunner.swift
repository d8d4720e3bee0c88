public import Logging
public import PostgresNIO

/// Applies `migrations/` to a database: pending files in name order, each in
/// its own transaction together with its record in `schema_migrations` (name,
/// SHA-256 of the contents, when, how long), so a file is either fully applied
/// and recorded or not at all.
///
/// A session-level advisory lock makes concurrent runners (two instances
/// starting together) take turns; the second finds nothing left to do.
public struct MigrationRunner: Sendable {
    /// `pg_advisory_lock` key: "wayline" in ASCII.
    static let lockKey: Int64 = 0x77_61_79_6C_69_6E_65

    public let migrations: [Migration]
    private let client: PostgresClient
    private let logger: Logger

    public init(migrations: [Migration], client: PostgresClient, logger: Logger) {
        self.migrations = migrations
        self.client = client
        self.logger = logger
    }

    /// Applies every pending migration and returns their names.
    /// - Throws: `MigrationError` naming the file, before anything is applied
    ///   when an applied file has changed or is unknown.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await client.withSessionLock(Self.lockKey, logger: logger) { connection in
            try await apply(on: connection)
        }
    }

    /// Compares the database's record with this build's files, changing nothing.
    public func status() async throws -> MigrationStatus {
        try await client.withConnectionClosedOnFailure { connection in
            try await status(on: connection)
        }
    }

    private func status(on connection: PostgresConnection) async throws -> MigrationStatus {
        let exists = try await connection.query(
            "SELECT to_regclass('public.schema_migrations') IS NOT NULL", logger: logger
        ).collect().first?.decode(Bool.self) ?? false
        var records: [String: String] = [:]
        if exists {
            let rows = try await connection.query("SELECT name, checksum FROM schema_migrations", logger: logger)
            for try await (name, checksum) in rows.decode((String, String).self) {
                records[name] = checksum
            }
        }
        var status = MigrationStatus(applied: [], pending: [], changed: [], unknown: [])
        for migration in migrations {
            guard let recorded = records.removeValue(forKey: migration.name) else {
                status.pending.append(migration.name)
                continue
            }
            status.applied.append(.init(name: migration.name, checksum: recorded))
            if try await checksum(of: migration, on: connection) != recorded {
                status.changed.append(migration.name)
            }
        }
        status.unknown = records.keys.sorted()
        return status
    }

    private func apply(on connection: PostgresConnection) async throws -> [String] {
        // The bookkeeping table has to exist before any migration can be
        // recorded, so it is the one piece of DDL the runner owns. Created
        // in a DO block only when missing: a serving role without CREATE on
        // the schema can then still check that everything is applied.
        _ = try await connection.query("""
            DO $$ BEGIN IF to_regclass('public.schema_migrations') IS NULL THEN
            CREATE TABLE schema_migrations (
              name text PRIMARY KEY,
              checksum text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now(),
              execution_ms double precision NOT NULL
            ); END IF; END $$
            """, logger: logger)
        let status = try await status(on: connection)
        if let changed = status.changed.first { throw MigrationError.checksumMismatch(changed) }
        if let unknown = status.unknown.first { throw MigrationError.unknownApplied(unknown) }

        var applied: [String] = []
        for migration in migrations where status.pending.contains(migration.name) {
            let milliseconds = try await applyOne(migration, on: connection)
            logger.info("applied migration", metadata: ["migration.name": "\(migration.name)", "migration.ms": "\(Int(milliseconds))"])
            applied.append(migration.name)
        }
        return applied
    }

    /// Applies one file and its record in one transaction; returns how long it took, in milliseconds.
    ///
    /// Roles are shared by every database of a server, and the advisory lock
    /// is per database: two databases migrating at once (a test run's, or a
    /// staging and a production database on one server) can both GRANT the
    /// same membership, and the later commit fails on the catalog's unique
    /// index, or with "tuple concurrently updated". The transaction rolled
    /// back whole, so it is tried again, at most `attempts` times; a real
    /// conflict fails every time and is reported.
    private func applyOne(_ migration: Migration, on connection: PostgresConnection, attempts: Int = 3) async throws -> Double {
        for attempt in 1... {
            do {
                return try await applyOnce(migration, on: connection)
            } catch let concurrent as ConcurrentCatalogChange {
                guard attempt < attempts else { throw concurrent.failure }
                logger.notice("migration met a concurrent change of shared catalogs; trying again", metadata: ["migration.name": "\(migration.name)"])
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
        fatalError("unreachable: the last attempt returns or throws")
    }

    private func applyOnce(_ migration: Migration, on connection: PostgresConnection) async throws -> Double {
        let checksum = try await checksum(of: migration, on: connection)
        let started = ContinuousClock.now
        _ = try await connection.query("BEGIN", logger: logger)
        do {
            for (index, statement) in SQLScript.statements(in: migration.sql).enumerated() {
                do {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                } catch {
                    let failure = MigrationError.failed(
                        name: migration.name, statement: index + 1, reason: DatabaseErrorMessage.describe(error)
                    )
                    throw Self.isConcurrentCatalogChange(error) ? ConcurrentCatalogChange(failure: failure) : failure
                }
            }
            let milliseconds = (ContinuousClock.now - started).inMilliseconds
            _ = try await connection.query("""
                INSERT INTO schema_migrations (name, checksum, execution_ms)
                VALUES (\(migration.name), \(checksum), \(milliseconds))
                """, logger: logger)
            _ = try await connection.query("COMMIT", logger: logger)
            return milliseconds
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// SHA-256 of the file, computed by PostgreSQL so Wayline needs no crypto library.
    private func checksum(of migration: Migration, on connection: PostgresConnection) async throws -> String {
        try await connection.query(
            "SELECT encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex')", logger: logger
        ).collect().first?.decode(String.self) ?? ""
    }

    /// A unique violation or "tuple concurrently updated" (XX000): what a
    /// concurrent GRANT or CREATE ROLE on the same server gives.
    static func isConcurrentCatalogChange(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.serverInfo?[.sqlState] else { return false }
        return state == "23505" || state == "XX000"
    }
}

/// A migration's failure that trying again may cure.
private struct ConcurrentCatalogChange: Error {
    let failure: MigrationError
}
