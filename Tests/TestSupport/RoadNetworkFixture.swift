public import Foundation
public import PostgresNIO
public import Storage

/// The OpenStreetMap extracts beside the repository (`../shared/data`, not
/// copied into it), imported the way `wayline import-osm` imports them.
public enum RoadNetworkFixture {
    public static let extracts = ["monaco", "andorra"]

    public static func path(_ extract: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data/\(extract).osm.pbf").path
    }

    /// Runs `body` on a migrated database of its own holding the extract's road network.
    public static func withImported<Result: Sendable>(
        _ extract: String, _ body: (DatabaseSettings, PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await PostgresClient.withRunning(settings.clientConfiguration, logger: TestDatabase.logger) { client in
                let importer = RoadNetworkImporter(settings: settings, client: client, logger: TestDatabase.logger) { _ in }
                _ = try await importer.importFile(path(extract))
                return try await body(settings, client)
            }
        }
    }
}
