import Foundation
public import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster under a data directory of Wayline's own: what
/// `wayline serve` uses when no `DATABASE_URL` is given.
///
/// `start()` runs `initdb` on first use and `pg_ctl start` after that. The
/// server listens only on a unix socket (no TCP port to collide with another
/// server, nothing reachable from the network) and trusts local connections,
/// which the socket directory's permissions restrict to its owner.
///
/// PostgreSQL refuses to run as root. When Wayline runs as root, the cluster
/// runs as an unprivileged system user (`postgres` by default, which the
/// PostgreSQL packages create), owns the data directory, and the directories
/// above it are made traversable for that user.
public struct EmbeddedPostgres: Sendable {
    /// The superuser and database the cluster is created with.
    public static let username = "wayline"
    public static let database = "wayline"
    static let port = 5432

    /// Absolute path of Wayline's data directory; the cluster lives in `pgdata/` inside it.
    public let dataDirectory: String
    /// Where the server's unix socket is.
    public let socketDirectory: String
    private let binDirectory: String
    private let systemUser: String?
    private let serverSettings: [String]

    /// - Parameters:
    ///   - dataDirectory: created if missing; relative paths are taken from the working directory.
    ///   - serverSettings: extra `name=value` server settings, for instance `fsync=off` for throwaway test clusters.
    public init(dataDirectory: String, serverSettings: [String] = []) throws(EmbeddedPostgresError) {
        let environment = ProcessInfo.processInfo.environment
        let absolute = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        self.dataDirectory = absolute
        guard let binDirectory = Self.findBinDirectory(environment) else { throw .binariesNotFound }
        self.binDirectory = binDirectory
        if geteuid() == 0 {
            let user = environment["WAYLINE_PG_USER"] ?? "postgres"
            guard getpwnam(user) != nil else { throw .systemUserMissing(user) }
            systemUser = user
        } else {
            systemUser = nil
        }
        self.serverSettings = serverSettings
        // A unix socket path is limited to 107 bytes; deep checkouts get a
        // socket directory in /tmp named after the data directory instead.
        let preferred = absolute + "/run"
        if (preferred + "/.s.PGSQL.\(Self.port)").utf8.count < 100 {
            socketDirectory = preferred
        } else {
            socketDirectory = "/tmp/wayline-\(Self.fnv1a(absolute))"
        }
    }

    var clusterDirectory: String { dataDirectory + "/pgdata" }
    var logFile: String { dataDirectory + "/postgres.log" }

    /// Connection settings for the cluster's `wayline` database.
    public var settings: DatabaseSettings {
        settings(database: Self.database)
    }

    func settings(database: String) -> DatabaseSettings {
        DatabaseSettings(
            endpoint: .unixSocket(path: "\(socketDirectory)/.s.PGSQL.\(Self.port)"),
            username: Self.username, database: database, tls: .disable
        )
    }

    /// The login role `serve` runs its queries as: a member of `service_role`
    /// (migration 20260402000000), neither superuser nor owner, so the
    /// tables' row-level security applies to it. Migrations run as `username`.
    public static let serviceRole = "wayline_service"

    /// `settings` as the service role.
    public var serviceSettings: DatabaseSettings {
        var settings = settings
        settings.username = Self.serviceRole
        return settings
    }

    /// A libpq URL for the cluster, usable by `psql`, `pgbench` and as `DATABASE_URL`.
    public var url: String {
        "postgresql://\(Self.username)@/\(Self.database)?host=\(socketDirectory)"
    }

    /// Whether the cluster's server is running.
    public func isRunning() async throws -> Bool {
        guard FileManager.default.fileExists(atPath: clusterDirectory + "/PG_VERSION") else { return false }
        return try await pgctl(["status", "-D", clusterDirectory]).status == 0
    }

    /// Initialises the cluster if needed and starts it if it is not running.
    /// - Returns: true when this call started the server (so the caller owns stopping it).
    @discardableResult
    public func start() async throws -> Bool {
        try prepareDirectories()
        if !FileManager.default.fileExists(atPath: clusterDirectory + "/PG_VERSION") {
            try check(
                "initdb",
                await run(binary("initdb"), ["-D", clusterDirectory, "-U", Self.username, "--auth=trust",
                                       "--no-locale", "--encoding=UTF8", "--no-instructions"])
            )
        }
        if try await isRunning() { return false }
        let settings = [
            "listen_addresses=''",
            "unix_socket_directories='\(socketDirectory)'",
            "port=\(Self.port)",
            "max_connections=200",
            "shared_buffers=256MB",
            // For `wayline db slow`: statement statistics cost a few per cent at most.
            "shared_preload_libraries=pg_stat_statements",
        ] + serverSettings
        let options = settings.map { "-c \($0)" }.joined(separator: " ")
        try check("pg_ctl start", await pgctl(["start", "-D", clusterDirectory, "-l", logFile, "-w", "-t", "60", "-o", options]))
        return true
    }

    /// Stops the server (fast shutdown: open transactions are rolled back, data is flushed).
    public func stop() async throws {
        guard try await isRunning() else { return }
        try check("pg_ctl stop", await pgctl(["stop", "-D", clusterDirectory, "-m", "fast", "-w", "-t", "60"]))
        try? FileManager.default.removeItem(atPath: ownerFile)
    }

    /// Creates the service's login role and the `wayline` database on a
    /// freshly initialised cluster. The server must be running.
    public func createDatabaseIfMissing(logger: Logger) async throws {
        try await PostgresClient.withRunning(settings(database: "postgres").clientConfiguration, logger: logger) { client in
            // Roles belong to the cluster; the migrations grant this one its rights.
            _ = try await client.query(PostgresQuery(unsafeSQL: """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(Self.serviceRole)') THEN
                    CREATE ROLE \(Self.serviceRole) LOGIN;
                  ELSE
                    ALTER ROLE \(Self.serviceRole) LOGIN;
                  END IF;
                END $$
                """)).collect()
            let rows = try await client.query("SELECT 1 FROM pg_database WHERE datname = \(Self.database)")
            for try await _ in rows { return }
            // Identifiers cannot be bound as parameters; the name is our constant.
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(Self.database)")).collect()
        }
    }

    private func prepareDirectories() throws {
        let files = FileManager.default
        for directory in [dataDirectory, socketDirectory] {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        guard let systemUser, let account = getpwnam(systemUser) else { return }
        let uid = account.pointee.pw_uid
        let gid = account.pointee.pw_gid
        for directory in [dataDirectory, socketDirectory] {
            chown(directory, uid, gid)
            chmod(directory, 0o700)
        }
        if files.fileExists(atPath: clusterDirectory) { chown(clusterDirectory, uid, gid) }
        // The unprivileged user must be able to reach the data directory:
        // add the traverse bit (not read) to ancestors that lack it.
        var ancestor = URL(fileURLWithPath: dataDirectory).deletingLastPathComponent()
        while ancestor.path != "/" {
            var info = stat()
            if stat(ancestor.path, &info) == 0, info.st_mode & 0o001 == 0 {
                chmod(ancestor.path, (info.st_mode & 0o7777) | 0o001)
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
    }

    private func binary(_ name: String) -> String { "\(binDirectory)/\(name)" }

    private func run(_ executable: String, _ arguments: [String]) async throws -> Subprocess.Output {
        try await Subprocess.run(executable, arguments, runAs: systemUser)
    }

    private func pgctl(_ arguments: [String]) async throws -> Subprocess.Output {
        try await run(binary("pg_ctl"), arguments)
    }

    private func check(_ command: String, _ output: Subprocess.Output) throws {
        guard output.status == 0 else {
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            throw EmbeddedPostgresError.commandFailed(command: command, output: output.text + log)
        }
    }

    /// WAYLINE_PG_BINDIR, else the newest /usr/lib/postgresql/N/bin (Debian's
    /// layout), else the directory of an initdb on PATH.
    static func findBinDirectory(_ environment: [String: String]) -> String? {
        let files = FileManager.default
        let hasServer = { (directory: String) in
            files.isExecutableFile(atPath: directory + "/initdb") && files.isExecutableFile(atPath: directory + "/pg_ctl")
        }
        if let configured = environment["WAYLINE_PG_BINDIR"] { return hasServer(configured) ? configured : nil }
        let versions = ((try? files.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >)
        if let version = versions.first(where: { hasServer("/usr/lib/postgresql/\($0)/bin") }) {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        let path = environment["PATH"] ?? ""
        return path.split(separator: ":").map(String.init).first(where: hasServer)
    }

    /// A short stable name for a path (FNV-1a, 64 bit), for the socket directory.
    private static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
