import Foundation
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite struct EmbeddedPostgresTests {
    @Test func initialisesStartsServesAndStops() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-embedded-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = try EmbeddedPostgres(dataDirectory: directory, serverSettings: ["fsync=off"])

        #expect(try cluster.start())
        do {
            #expect(try cluster.isRunning())
            #expect(try cluster.start() == false, "a second start finds the server running")
            try await cluster.createDatabaseIfMissing(logger: TestDatabase.logger)
            try await cluster.createDatabaseIfMissing(logger: TestDatabase.logger)
            let database = try await PostgresClient.withRunning(cluster.settings.clientConfiguration, logger: TestDatabase.logger) {
                try await $0.value("SELECT current_database()", as: String.self)
            }
            #expect(database == "wayline")
            #expect(cluster.url.hasPrefix("postgresql://wayline@/wayline?host=/"))
        } catch {
            try? cluster.stop()
            throw error
        }
        try cluster.stop()
        #expect(try cluster.isRunning() == false)
    }
}
