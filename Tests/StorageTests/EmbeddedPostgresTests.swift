import Foundation
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct EmbeddedPostgresTests {
    @Test func initialisesStartsServesAndStops() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-embedded-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = try EmbeddedPostgres(dataDirectory: directory, serverSettings: ["fsync=off"])

        #expect(try await cluster.start())
        do {
            #expect(try await cluster.isRunning())
            #expect(try await cluster.start() == false, "a second start finds the server running")
            try await cluster.createDatabaseIfMissing(logger: TestDatabase.logger)
            try await cluster.createDatabaseIfMissing(logger: TestDatabase.logger)
            let database = try await PostgresClient.withRunning(cluster.settings.clientConfiguration, logger: TestDatabase.logger) {
                try await $0.value("SELECT current_database()", as: String.self)
            }
            #expect(database == "wayline")
            #expect(cluster.url.hasPrefix("postgresql://wayline@/wayline?host=/"))
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
        #expect(try await cluster.isRunning() == false)
    }
}
