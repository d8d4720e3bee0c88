import Foundation
public import PostgresNIO
public import Storage

/// The OpenStreetMap extracts beside the repository (`../shared/data`, not
/// copied into it), imported the way `wayline import-osm` imports them.
public enum RoadNetworkFixture {
    public static let extracts = ["monaco", "andorra"]

    /// The imported network as pgRouting's functions take it.
    public static let edgesSQL = "SELECT gid AS id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM road_network.ways"

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

    /// Imports run one at a time: osm2pgrouting is CPU-heavy, and parallel
    /// suites with timing bounds (instances agreeing within a second) share the cores.
    private static let imports = AsyncLock()

    /// Imports an extract into the database `settings` names.
    public static func importExtract(_ extract: String, settings: DatabaseSettings, client: PostgresClient) async throws {
        try await imports.run {
            let importer = RoadNetworkImporter(settings: settings, client: client, logger: TestDatabase.logger) { _ in }
            _ = try await importer.importFile(path(extract))
        }
    }

    /// Runs `body` on a migrated database of its own holding the extract's road network.
    public static func withImported<Result: Sendable>(
        _ extract: String, _ body: (DatabaseSettings, PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
                try await importExtract(extract, settings: settings, client: client)
                return try await body(settings, client)
            }
        }
    }
}
