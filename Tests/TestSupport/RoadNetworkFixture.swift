import Foundation
public import PostgresNIO
public import Storage

/// The OpenStreetMap extracts beside the repository (`../shared/data`, not
/// copied into it), imported the way `wayline import-osm` imports them.
public enum RoadNetworkFixture {
    public static let extracts = ["monaco", "andorra"]

    /// The imported network as pgRouting's functions take it.
    public static let edgesSQL = "SELECT gid AS id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM road_network.ways"
    /// The import's turn costs and restrictions as `pgr_trsp` takes them.
    public static let restrictionsSQL = "SELECT id, cost, path FROM road_network.restrictions"

    /// Where the extracts are: `WAYLINE_OSM_DATA`, else `shared/data` beside the
    /// repository (the layout this project is developed in), else
    /// `/work/shared/data` (a clone placed elsewhere on the same machine).
    public static func path(_ extract: String) -> String {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            ProcessInfo.processInfo.environment["WAYLINE_OSM_DATA"],
            repository.deletingLastPathComponent().appendingPathComponent("shared/data").path,
            "/work/shared/data",
        ].compactMap { $0 }
        let directory = candidates.first { FileManager.default.fileExists(atPath: "\($0)/\(extract).osm.pbf") } ?? candidates[0]
        return "\(directory)/\(extract).osm.pbf"
    }

    /// Imports run one at a time: an import is CPU-heavy, and parallel
    /// suites with timing bounds (instances agreeing within a second) share the cores.
    private static let imports = AsyncLock()

    /// Imports an extract into the database `settings` names.
    public static func importExtract(_ extract: String, client: PostgresClient) async throws {
        try await importFile(path(extract), client: client)
    }

    /// Imports the extract at `path` (any format osmium reads).
    public static func importFile(_ path: String, client: PostgresClient) async throws {
        try await imports.run {
            let importer = RoadNetworkImporter(client: client, logger: TestDatabase.logger) { _ in }
            _ = try await importer.importFile(path)
        }
    }

    /// Runs `body` on a migrated database of its own holding the extract's road network.
    public static func withImported<Result: Sendable>(
        _ extract: String, _ body: (DatabaseSettings, PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
                try await importExtract(extract, client: client)
                return try await body(settings, client)
            }
        }
    }

    /// A vertex of the imported network: its `ways_vertices_pgr` id and position.
    public typealias Vertex = (id: Int64, lng: Double, lat: Double)

    /// Up to `limit` vertices with at least `roads` incident edges open in
    /// `open` directions, in an order fixed by `seed`.
    public static func vertices(
        _ client: PostgresClient, roads: Int = 1, open: OpenDirections = .either, seed: String, limit: Int
    ) async throws -> [Vertex] {
        let condition = open == .both ? "w.cost_s >= 0 AND w.reverse_cost_s >= 0" : "(w.cost_s >= 0 OR w.reverse_cost_s >= 0)"
        var vertices: [Vertex] = []
        for try await row in try await client.query("""
            SELECT v.id, ST_X(v.the_geom), ST_Y(v.the_geom) FROM road_network.ways_vertices_pgr v
            WHERE (SELECT count(*) FROM road_network.ways w WHERE (w.source = v.id OR w.target = v.id) AND \(unescaped: condition)) >= \(roads)
            ORDER BY md5(v.id::text || \(seed)) LIMIT \(limit)
            """).decode((Int64, Double, Double).self) {
            vertices.append((row.0, row.1, row.2))
        }
        return vertices
    }

    public enum OpenDirections: Sendable {
        case either, both
    }
}
