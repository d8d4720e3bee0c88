import Foundation
public import Logging
public import PostgresNIO

/// `wayline import-osm`: OpenStreetMap extract → road network tables.
///
/// osmium keeps only ways tagged `highway` (and their nodes) and writes the
/// XML osm2pgrouting reads; osm2pgrouting builds the routable `ways` table
/// with the car profile into a staging schema; one transaction then replaces
/// the live `road_network` schema with it, drops routes computed on the old
/// network, and notifies every running instance to reload. A failed import
/// leaves the previous network untouched.
public struct RoadNetworkImporter: Sendable {
    public static let defaultMapConfig = "/usr/share/osm2pgrouting/mapconfig_for_cars.xml"
    static let staging = "road_network_import"
    /// `pg_advisory_lock` key: "way-osm" in ASCII.
    static let lockKey: Int64 = 0x77_61_79_2D_6F_73_6D

    public struct Summary: Sendable {
        public let edges: Int
        public let vertices: Int
    }

    private let settings: DatabaseSettings
    private let client: PostgresClient
    private let progress: @Sendable (ImportProgress) -> Void
    private let logger: Logger

    public init(settings: DatabaseSettings, client: PostgresClient, logger: Logger, progress: @escaping @Sendable (ImportProgress) -> Void) {
        self.settings = settings
        self.logger = logger
        self.client = client
        self.progress = progress
    }

    public func importFile(_ path: String, mapConfig: String = Self.defaultMapConfig) async throws -> Summary {
        // Two imports into one database would share the staging schema: the
        // second waits on a session lock the first holds to the end.
        try await client.withSessionLock(Self.lockKey, logger: logger) { _ in
            try await importLocked(path, mapConfig: mapConfig)
        }
    }

    private func importLocked(_ path: String, mapConfig: String) async throws -> Summary {
        guard FileManager.default.isReadableFile(atPath: path) else { throw RoadImportError.unreadable(path) }
        guard FileManager.default.isReadableFile(atPath: mapConfig) else { throw RoadImportError.unreadable(mapConfig) }
        let osmium = try Self.tool("osmium", package: "osmium-tool")
        let osm2pgrouting = try Self.tool("osm2pgrouting", package: "osm2pgrouting")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let roads = work.appendingPathComponent("roads.osm").path

        let filtering = ImportProgress.start(of: 1, "keeping the roads (osmium tags-filter w/highway)")
        progress(filtering)
        try Self.check("osmium", try await run(osmium, ["tags-filter", path, "w/highway", "-o", roads, "--overwrite"], reading: path, as: filtering))

        let building = ImportProgress.start(of: 2, "building the routable network (osm2pgrouting, \(URL(fileURLWithPath: mapConfig).lastPathComponent))")
        progress(building)
        try await client.query("DROP SCHEMA IF EXISTS \(unescaped: Self.staging) CASCADE")
        try await client.query("CREATE SCHEMA \(unescaped: Self.staging)")
        let (host, port) = settings.libpqHostAndPort
        try Self.check("osm2pgrouting", try await run(osm2pgrouting, [
            "--file", roads, "--conf", mapConfig, "--schema", Self.staging, "--clean",
            "--dbname", settings.database, "--username", settings.username, "--host", host, "--port", port,
        ], reading: roads, as: building))

        progress(.start(of: 3, "checking the result"))
        let counts = try await client.query("""
            SELECT count(*)::int8, (SELECT count(*)::int8 FROM \(unescaped: Self.staging).ways_vertices_pgr)
            FROM \(unescaped: Self.staging).ways WHERE cost_s >= 0 OR reverse_cost_s >= 0
            """)
        var summary = Summary(edges: 0, vertices: 0)
        for try await (edges, vertices) in counts.decode((Int, Int).self) { summary = Summary(edges: edges, vertices: vertices) }
        guard summary.edges > 0 else {
            try await client.query("DROP SCHEMA IF EXISTS \(unescaped: Self.staging) CASCADE")
            throw RoadImportError.noRoads(path)
        }

        progress(.start(of: 4, "replacing the live network (\(summary.edges) edges, \(summary.vertices) vertices) and telling instances to reload"))
        let source = URL(fileURLWithPath: path).lastPathComponent
        try await client.withTransactionClosedOnFailure(logger: logger) { connection in
            try await connection.query("DROP SCHEMA IF EXISTS road_network CASCADE", logger: logger)
            try await connection.query("ALTER SCHEMA \(unescaped: Self.staging) RENAME TO road_network", logger: logger)
            // The service reads the network as its own role (a member of service_role), not as the owner.
            try await connection.query("GRANT USAGE ON SCHEMA road_network TO service_role", logger: logger)
            try await connection.query("GRANT SELECT ON ALL TABLES IN SCHEMA road_network TO service_role", logger: logger)
            // Routes computed on the previous network describe roads that may be gone.
            try await connection.query("DELETE FROM routes", logger: logger)
            try await connection.query("""
                INSERT INTO road_network_imports (source_file, edges, vertices) VALUES (\(source), \(summary.edges), \(summary.vertices))
                """, logger: logger)
            try await connection.query("SELECT pg_notify(\(RoadNetworkRepository.channel), \(source))", logger: logger)
        }
        progress(.done)
        return summary
    }

    /// Runs a tool that reads `input` twice, reporting its progress as part
    /// of `stage`. Its output is kept for the error should it fail; the
    /// password travels in the environment (PGPASSWORD, read by libpq), not
    /// on a command line others can see.
    private func run(_ tool: String, _ arguments: [String], reading input: String, as stage: ImportProgress) async throws -> Subprocess.Output {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) ?? 0
        return try await Subprocess.run(tool, arguments, environment: settings.password.map { ["PGPASSWORD": $0] } ?? [:]) { pid in
            if let share = ImportProgress.shareRead(by: pid, of: bytes, passes: 2) { progress(stage.advanced(to: share)) }
        }
    }

    private static func tool(_ name: String, package: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
            .split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { throw RoadImportError.missingTool(name, package: package) }
        return path
    }

    private static func check(_ name: String, _ output: Subprocess.Output) throws {
        guard output.status == 0 else { throw RoadImportError.toolFailed(name, status: output.status, output: output.text) }
    }
}

public enum RoadImportError: Error, CustomStringConvertible {
    case unreadable(String)
    case missingTool(String, package: String)
    case toolFailed(String, status: Int32, output: String)
    case noRoads(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .missingTool(let name, let package): "\(name) is not installed (apt-get install \(package); scripts/install-deps.sh does)"
        case .toolFailed(let name, let status, let output):
            "\(name) failed with exit status \(status): \(output.split(separator: "\n").suffix(5).joined(separator: " | "))"
        case .noRoads(let path): "\(path) holds no roads open to cars; the previous network is unchanged"
        }
    }
}
