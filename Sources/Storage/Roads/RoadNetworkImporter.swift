import Foundation
public import Logging
public import PostgresNIO
public import RoadModel

/// `wayline import-osm`: OpenStreetMap extract → road network tables.
///
/// osmium (libosmium) reads the extract, PBF or XML, and keeps the ways a
/// car profile can use (`highway`, ferries, shuttle trains), their nodes and
/// the turn restrictions, as OPL text; `RoadNetworkBuilder` applies the car
/// profile (OSRM's car.lua as data) and cuts the ways into segments between
/// junctions; the tables are copied into a staging schema; one transaction
/// then replaces the live `road_network` schema with it, drops routes
/// computed on the old network, and notifies every running instance to
/// reload. A failed import leaves the previous network untouched.
///
/// The tables keep osm2pgrouting's names and columns (`ways` with `cost_s` and
/// `reverse_cost_s`, `ways_vertices_pgr`), so pgRouting's functions take them
/// as they are; `restrictions` holds the turn restrictions as `pgr_trsp`
/// takes them.
public struct RoadNetworkImporter: Sendable {
    static let staging = "road_network_import"
    /// `pg_advisory_lock` key: "way-osm" in ASCII.
    static let lockKey: Int64 = 0x77_61_79_2D_6F_73_6D

    public struct Summary: Sendable {
        public let edges: Int
        public let vertices: Int
        public let restrictions: Int
        /// Restriction relations for cars that name ways or nodes the network lacks, or do not meet.
        public let unresolvedRestrictions: Int
    }

    private let client: PostgresClient
    private let profile: CarProfile
    private let progress: @Sendable (ImportProgress) -> Void
    private let logger: Logger

    public init(client: PostgresClient, profile: CarProfile = .car, logger: Logger, progress: @escaping @Sendable (ImportProgress) -> Void) {
        self.logger = logger
        self.client = client
        self.profile = profile
        self.progress = progress
    }

    public func importFile(_ path: String) async throws -> Summary {
        // Two imports into one database would share the staging schema: the
        // second waits on a session lock the first holds to the end.
        try await client.withSessionLock(Self.lockKey, logger: logger) { _ in
            try await importLocked(path)
        }
    }

    private func importLocked(_ path: String) async throws -> Summary {
        guard FileManager.default.isReadableFile(atPath: path) else { throw RoadImportError.unreadable(path) }
        let osmium = try Self.tool("osmium", package: "osmium-tool")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let roads = work.appendingPathComponent("roads.opl").path

        let filtering = ImportProgress.start(of: 1, "keeping roads, ferries and turn restrictions (osmium tags-filter)")
        progress(filtering)
        try Self.check("osmium", try await run(osmium, [
            "tags-filter", path, "w/highway", "w/route=ferry,shuttle_train", "r/type=restriction",
            "-f", "opl,add_metadata=false", "-o", roads, "--overwrite",
        ], reading: path, as: filtering))

        progress(.start(of: 2, "applying the car profile"))
        let profile = profile
        let (model, turns) = try await onOwnThread {
            var reader = try OPLReader(path: roads)
            defer { reader.close() }
            var builder = RoadNetworkBuilder(profile: profile)
            while let object = try reader.next() { builder.add(object) }
            let model = builder.build()
            return (model, TurnModel(profile: profile).costs(of: model))
        }
        guard !model.segments.isEmpty else { throw RoadImportError.noRoads(path) }

        progress(.start(of: 3, "writing \(model.segments.count) road segments, \(model.vertices.count) vertices and \(turns.count) turn costs"))
        try await client.query("DROP SCHEMA IF EXISTS \(unescaped: Self.staging) CASCADE")
        try await client.query("CREATE SCHEMA \(unescaped: Self.staging)")
        try await RoadNetworkTables(schema: Self.staging, logger: logger).write(model, turns: turns, client: client)

        let summary = Summary(
            edges: model.segments.count, vertices: model.vertices.count,
            restrictions: model.restrictions.count, unresolvedRestrictions: model.unresolvedRestrictions
        )
        progress(.start(of: 4, "replacing the live network and telling instances to reload"))
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
    /// of `stage`. Its output is kept for the error should it fail.
    private func run(_ tool: String, _ arguments: [String], reading input: String, as stage: ImportProgress) async throws -> Subprocess.Output {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) ?? 0
        return try await Subprocess.run(tool, arguments) { pid in
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
