import ArgumentParser
import Foundation
import Storage

struct ImportOSMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-osm",
        abstract: "Import an OpenStreetMap extract (.osm.pbf) as the road network; running instances reload it."
    )

    @Argument(help: "The extract, e.g. ../shared/data/monaco.osm.pbf.")
    var file: String

    func validate() throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
    }

    func run() async throws {
        let display = ImportProgressDisplay()
        let summary = try await DatabaseTarget.withClient { client, target, migrations, logger in
            _ = try await MigrationRunner(migrations: migrations, client: client, logger: logger).migrate()
            let importer = RoadNetworkImporter(client: client, logger: logger, progress: display.show)
            defer { display.finish() }
            return try await importer.importFile(file)
        }
        print("imported \(summary.edges) road edges, \(summary.vertices) vertices and \(summary.restrictions) turn restrictions from \(file)")
        if summary.unresolvedRestrictions > 0 {
            print("skipped \(summary.unresolvedRestrictions) turn restrictions whose ways or nodes are not in the extract or do not meet")
        }
    }
}
