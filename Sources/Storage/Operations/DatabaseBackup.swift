import Foundation
public import PostgresNIO

/// `wayline db backup` and `db restore`: the whole database in pg_dump's
/// custom format, and back into an empty database. The tools come from the
/// same PostgreSQL installation as the embedded cluster's; they connect with
/// libpq's environment variables, so a password is never on a command line.
public struct DatabaseBackup: Sendable {
    private let settings: DatabaseSettings
    private let binDirectory: String

    public init(settings: DatabaseSettings) throws(EmbeddedPostgresError) {
        guard let binDirectory = EmbeddedPostgres.findBinDirectory(ProcessInfo.processInfo.environment) else { throw .binariesNotFound }
        self.settings = settings
        self.binDirectory = binDirectory
    }

    /// Writes the dump beside `path` and renames it into place once pg_dump
    /// has finished, so `path` never holds a cut-off dump.
    public func write(to path: String) async throws(DatabaseBackupError) {
        let partial = path + ".partial"
        let output = try await tool("pg_dump", ["--format=custom", "--file=\(partial)"], database: true)
        guard output.status == 0 else {
            unlink(partial)
            throw .toolFailed(tool: "pg_dump", output: output.text)
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw .unwritable(path: path, reason: reason)
        }
    }

    /// Restores the dump at `path` into the database, which must hold no
    /// table yet: in one transaction, so a failed restore leaves it empty.
    /// Objects belong to the restoring user, as after migrating.
    public func restore(from path: String, client: PostgresClient) async throws {
        // pg_restore reads the whole table of contents: a file that is not a dump fails here, before the database is touched.
        let listing = try await tool("pg_restore", ["--list", path], database: false)
        guard listing.status == 0 else { throw DatabaseBackupError.notADump(path: path, output: listing.text) }
        var tables = 0
        for try await count in try await client.query(Self.tablesOutsideExtensions).decode(Int.self) { tables = count }
        guard tables == 0 else { throw DatabaseBackupError.notEmpty(database: settings.database, tables: tables) }
        _ = try await client.query(Self.platformRoles).collect()
        let restored = try await tool("pg_restore", [
            "--exit-on-error", "--single-transaction", "--no-owner", "--dbname=\(Self.conninfoQuoted(settings.database))", path,
        ], database: false)
        guard restored.status == 0 else { throw DatabaseBackupError.toolFailed(tool: "pg_restore", output: restored.text) }
        // A restored database has no planner statistics until autovacuum gets to it.
        _ = try await client.query("ANALYZE").collect()
    }

    private func tool(_ name: String, _ arguments: [String], database: Bool) async throws(DatabaseBackupError) -> Subprocess.Output {
        do {
            return try await Subprocess.run("\(binDirectory)/\(name)", arguments, environment: libpqEnvironment(database: database))
        } catch {
            throw .toolFailed(tool: name, output: "\(error)")
        }
    }

    /// Where and as whom to connect, as libpq reads it from the environment.
    private func libpqEnvironment(database: Bool) -> [String: String] {
        let (host, port) = settings.libpqHostAndPort
        var environment = ["PGUSER": settings.username, "PGHOST": host, "PGPORT": port]
        if database { environment["PGDATABASE"] = settings.database }
        environment["PGSSLMODE"] = switch settings.tls {
        case .disable: "disable"
        case .prefer: "prefer"
        case .require: "require"
        }
        if let password = settings.password { environment["PGPASSWORD"] = password }
        return environment
    }

    /// A libpq connection string naming only the database, quoted as libpq
    /// requires (a bare name with `=` in it would be read as a string).
    private static func conninfoQuoted(_ database: String) -> String {
        "dbname='" + database.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// Tables, views and sequences not created by an extension (PostGIS's
    /// `spatial_ref_sys` is), outside the system schemas.
    private static let tablesOutsideExtensions: PostgresQuery = """
        SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        """

    /// The roles the migrations create: they belong to the cluster, not to
    /// the database, so a dump holds their grants but not the roles, and a
    /// new server needs them before the grants can be restored. A user who
    /// may not create roles restores into a server that has them.
    private static let platformRoles: PostgresQuery = """
        DO $$
        DECLARE
          v_role text;
        BEGIN
          FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = v_role) THEN
              EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', v_role);
            END IF;
          END LOOP;
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wayline_service') THEN
            CREATE ROLE wayline_service NOLOGIN;
          END IF;
          GRANT service_role, authenticated TO wayline_service;
        EXCEPTION WHEN insufficient_privilege THEN
          NULL;
        END
        $$
        """
}

public enum DatabaseBackupError: Error, CustomStringConvertible {
    case notEmpty(database: String, tables: Int)
    case notADump(path: String, output: String)
    case unwritable(path: String, reason: String)
    case toolFailed(tool: String, output: String)

    public var description: String {
        switch self {
        case .notEmpty(let database, let tables):
            "database \(database) is not empty (\(tables) tables): restore into a new database, or drop and recreate this one first"
        case .notADump(let path, let output):
            "\(path) is not a backup made by `wayline db backup`: \(Self.lastLines(output))"
        case .unwritable(let path, let reason):
            "could not write \(path): \(reason)"
        case .toolFailed(let tool, let output):
            "\(tool) failed: \(Self.lastLines(output))"
        }
    }

    private static func lastLines(_ output: String) -> String {
        output.split(separator: "\n").suffix(5).joined(separator: " | ")
    }
}
