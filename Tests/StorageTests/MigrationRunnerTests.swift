import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct MigrationRunnerTests {
    @Test func appliesEveryFileOnceInOrderWithChecksums() async throws {
        let migrations = try TestDatabase.migrations()
        try await TestDatabase.withEmptyDatabase { client, _ in
            let runner = MigrationRunner(migrations: migrations, client: client, logger: TestDatabase.logger)
            #expect(try await runner.status().pending == migrations.map(\.name))

            #expect(try await runner.migrate() == migrations.map(\.name))
            #expect(try await runner.migrate() == [])

            let rows = try await client.rows("SELECT name, checksum FROM schema_migrations ORDER BY applied_at, name")
            let recorded = try rows.map { try $0.decode((String, String).self) }
            #expect(recorded.map(\.0) == migrations.map(\.name))
            #expect(recorded.allSatisfy { $0.1.count == 64 })
            let status = try await runner.status()
            #expect(status.isCurrent)
            #expect(status.applied.count == migrations.count)
        }
    }

    @Test func refusesToRunWhenAnAppliedFileChanged() async throws {
        let original = [Migration(name: "20990101000000_first.sql", sql: "CREATE TABLE first_table (id int);")]
        let edited = [Migration(name: "20990101000000_first.sql", sql: "CREATE TABLE first_table (id bigint);"),
                      Migration(name: "20990101000001_second.sql", sql: "CREATE TABLE second_table (id int);")]
        try await TestDatabase.withEmptyDatabase { client, _ in
            try await MigrationRunner(migrations: original, client: client, logger: TestDatabase.logger).migrate()
            let runner = MigrationRunner(migrations: edited, client: client, logger: TestDatabase.logger)
            await #expect(throws: MigrationError.checksumMismatch("20990101000000_first.sql")) { try await runner.migrate() }
            #expect(try await runner.status().changed == ["20990101000000_first.sql"])
            // Nothing after the changed file was applied either.
            #expect(try await client.value("SELECT to_regclass('second_table') IS NULL", as: Bool.self))
        }
    }

    @Test func aFailingFileLeavesNoTraceAndNamesItself() async throws {
        let migrations = [
            Migration(name: "20990101000000_good.sql", sql: "CREATE TABLE good_table (id int);"),
            Migration(name: "20990101000001_bad.sql", sql: "CREATE TABLE half_done (id int);\nSELECT no_such_function();"),
        ]
        try await TestDatabase.withEmptyDatabase { client, _ in
            let runner = MigrationRunner(migrations: migrations, client: client, logger: TestDatabase.logger)
            do {
                try await runner.migrate()
                Issue.record("expected the bad migration to fail")
            } catch let error as MigrationError {
                guard case .failed(let name, let statement, let reason) = error else { throw error }
                #expect(name == "20990101000001_bad.sql")
                #expect(statement == 2)
                #expect(reason.contains("no_such_function"))
            }
            #expect(try await client.value("SELECT to_regclass('good_table') IS NOT NULL", as: Bool.self))
            #expect(try await client.value("SELECT to_regclass('half_done') IS NULL", as: Bool.self))
            #expect(try await runner.status().pending == ["20990101000001_bad.sql"])
        }
    }

    @Test func concurrentRunnersApplyEachFileOnce() async throws {
        // Without the advisory lock, both runners would try CREATE TABLE and one would fail.
        let migrations = (0..<5).map {
            Migration(name: "2099010100000\($0)_step.sql", sql: "CREATE TABLE step_\($0) (id int); SELECT pg_sleep(0.05);")
        }
        try await TestDatabase.withEmptyDatabase { client, _ in
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await MigrationRunner(migrations: migrations, client: client, logger: TestDatabase.logger).migrate()
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(applied.sorted() == migrations.map(\.name))
            #expect(try await client.value("SELECT count(*)::int FROM schema_migrations", as: Int.self) == 5)
        }
    }

    @Test func reportsMigrationsTheBuildDoesNotKnow() async throws {
        let newer = [Migration(name: "20990101000000_a.sql", sql: "SELECT 1;"), Migration(name: "20990101000001_b.sql", sql: "SELECT 1;")]
        try await TestDatabase.withEmptyDatabase { client, _ in
            try await MigrationRunner(migrations: newer, client: client, logger: TestDatabase.logger).migrate()
            let older = MigrationRunner(migrations: Array(newer.prefix(1)), client: client, logger: TestDatabase.logger)
            #expect(try await older.status().unknown == ["20990101000001_b.sql"])
            await #expect(throws: MigrationError.unknownApplied("20990101000001_b.sql")) { try await older.migrate() }
        }
    }
}
