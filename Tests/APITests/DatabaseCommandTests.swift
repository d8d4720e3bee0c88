import Foundation
import Testing
import TestSupport

/// `wayline db health | slow | index-usage | vacuum` as an operator runs
/// them, against a `DATABASE_URL`.
@Suite(.timeLimit(.minutes(5))) struct DatabaseCommandTests {
    @Test func reportsAndVacuumWork() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let environment = ["DATABASE_URL": try TestDatabase.url(database: settings.database), "WAYLINE_LOG_LEVEL": "error"]

            let health = try await WaylineProcess.run(["db", "health", "--json"], environment: environment)
            #expect(health.status == 0, "\(health.errors)")
            let sections = try JSONSerialization.jsonObject(with: Data(health.output.utf8)) as? [[String: Any]] ?? []
            let titles = sections.compactMap { $0["section"] as? String }
            #expect(titles.count == 6 && titles.contains("partitions ahead") && titles.contains("replicas"), "\(titles)")
            let partitions = sections.first { $0["section"] as? String == "partitions ahead" }?["rows"] as? [[String: String]] ?? []
            // The migrations create partitions ahead for every partitioned table.
            #expect(!partitions.isEmpty && partitions.allSatisfy { Int($0["months_ahead"] ?? "") ?? -1 >= 0 }, "\(partitions)")

            let text = try await WaylineProcess.run(["db", "health"], environment: environment)
            #expect(text.status == 0 && text.output.contains("buffer cache") && text.output.contains("table"))

            let slow = try await WaylineProcess.run(["db", "slow", "--limit", "5", "--json"], environment: environment)
            #expect(slow.status == 0, "\(slow.errors)")
            let statements = (try JSONSerialization.jsonObject(with: Data(slow.output.utf8)) as? [[String: Any]])?.first?["rows"] as? [[String: String]]
            #expect(statements.map { (1...5).contains($0.count) } == true, "\(slow.output.prefix(500))")

            let indexes = try await WaylineProcess.run(["db", "index-usage", "--below", "1000000"], environment: environment)
            #expect(indexes.status == 0 && indexes.output.contains("idx_"), "\(indexes.output.prefix(500))\(indexes.errors)")

            let vacuum = try await WaylineProcess.run(["db", "vacuum", "--analyze", "locations"], environment: environment)
            #expect(vacuum.status == 0 && vacuum.output.contains("vacuumed locations"), "\(vacuum.errors)")
            let unknown = try await WaylineProcess.run(["db", "vacuum", "no_such_table; DROP TABLE locations"], environment: environment)
            #expect(unknown.status != 0 && unknown.errors.contains("no table named"), "\(unknown.errors)")
        }
    }
}
