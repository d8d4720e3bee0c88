import Foundation
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// `wayline db backup` and `db restore` as an operator runs them: back up,
/// wipe, restore, and the database holds the same rows and the service gives
/// the same answers; a restore refuses a database that is not empty and a
/// file that is not a backup, and restores onto a server that never had
/// Wayline (the embedded cluster of a new data directory).
@Suite(.timeLimit(.minutes(5))) struct DatabaseBackupTests {
    @Test func backupWipeRestoreGivesTheSameDatabase() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let environment = ["DATABASE_URL": try TestDatabase.url(database: settings.database), "WAYLINE_LOG_LEVEL": "error"]
            let drivers = (0..<20).map { _ in UUID() }
            try await TestApp.on(settings) { http in
                for (number, driver) in drivers.enumerated() {
                    let body = #"{"lat": \#(43.73 + Double(number) * 0.001), "lng": 7.42, "accuracy_m": 5}"#
                    try await http.execute(uri: "/v1/locations/\(driver)/current", method: .put, body: ByteBuffer(string: body)) { #expect($0.status == .ok) }
                }
                #expect(try await CacheAPITests.put(http, "order-1", #"{"value": {"n": 1}, "ttl_s": 3600, "tags": ["orders"]}"#) == .ok)
            }
            let answersBefore = try await Self.answers(settings, drivers: drivers)
            let countsBefore = try await Self.rowCounts(settings)
            #expect(countsBefore["locations"] == 20 && countsBefore["cache_entries"] == 1, "\(countsBefore)")

            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("wayline.dump").path
            let backup = try await WaylineProcess.run(["db", "backup", file], environment: environment)
            #expect(backup.status == 0, "\(backup.errors)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)).prefix(5) == Data("PGDMP".utf8))
            #expect(!FileManager.default.fileExists(atPath: file + ".partial"))

            // Into a database that is not empty: refused, nothing changed.
            let refused = try await WaylineProcess.run(["db", "restore", file], environment: environment)
            #expect(refused.status != 0 && refused.errors.contains("is not empty"), "\(refused.errors)")
            #expect(try await Self.rowCounts(settings) == countsBefore)

            try await TestDatabase.admin("DROP DATABASE \(settings.database) WITH (FORCE)")
            try await TestDatabase.admin("CREATE DATABASE \(settings.database)")
            let notADump = directory.appendingPathComponent("not-a-dump").path
            try Data("hello".utf8).write(to: URL(fileURLWithPath: notADump))
            let rejected = try await WaylineProcess.run(["db", "restore", notADump], environment: environment)
            #expect(rejected.status != 0 && rejected.errors.contains("is not a backup"), "\(rejected.errors)")

            let restore = try await WaylineProcess.run(["db", "restore", file], environment: environment)
            #expect(restore.status == 0, "\(restore.errors)")
            #expect(try await Self.rowCounts(settings) == countsBefore)
            #expect(try await Self.answers(settings, drivers: drivers) == answersBefore)
        }
    }

    @Test func restoresIntoANewEmbeddedCluster() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await TestApp.on(settings) { http in
                try await http.execute(uri: "/v1/locations/\(UUID())/current", method: .put, body: ByteBuffer(string: #"{"lat": 1, "lng": 2}"#)) {
                    #expect($0.status == .ok)
                }
            }
            let countsBefore = try await Self.rowCounts(settings)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("wayline.dump").path
            let backup = try await WaylineProcess.run(["db", "backup", file], environment: [
                "DATABASE_URL": try TestDatabase.url(database: settings.database), "WAYLINE_LOG_LEVEL": "error",
            ])
            #expect(backup.status == 0, "\(backup.errors)")

            // A data directory Wayline never used: the embedded cluster is created, restored into, and stopped.
            let data = directory.appendingPathComponent("data").path
            let embedded = ["DATABASE_URL": nil, "WAYLINE_DATA_DIR": data, "WAYLINE_LOG_LEVEL": "error"]
            let restore = try await WaylineProcess.run(["db", "restore", file], environment: embedded)
            #expect(restore.status == 0, "\(restore.errors)")
            let cluster = try EmbeddedPostgres(dataDirectory: data)
            try await cluster.start()
            do {
                #expect(try await Self.rowCounts(cluster.settings) == countsBefore)
                // The service role reads what it read before: its grants came back with the roles.
                let served = try await PostgresClient.withRunning(TestDatabase.pooled(cluster.serviceSettings), logger: TestDatabase.logger) { client in
                    try await client.query("SELECT count(*)::int FROM locations").collect().map { try $0.decode(Int.self) }.first
                }
                #expect(served == 1)
            } catch {
                try? await cluster.stop()
                throw error
            }
            try await cluster.stop()
        }
    }

    /// The exact row count of every table outside the system schemas.
    static func rowCounts(_ settings: DatabaseSettings) async throws -> [String: Int] {
        try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
            let tables = try await client.query("""
                SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables ORDER BY 1
                """).collect().map { try $0.decode(String.self) }
            var counts: [String: Int] = [:]
            for table in tables {
                // Names from the catalogue, quoted by format(%I).
                let count = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)")).collect().map { try $0.decode(Int.self) }.first
                counts[table.replacingOccurrences(of: "public.", with: "")] = count
            }
            return counts
        }
    }

    /// What the service answers about the data: nearby, each driver's position, the cache entry.
    static func answers(_ settings: DatabaseSettings, drivers: [UUID]) async throws -> [String] {
        let collected = AnswerLog()
        try await TestApp.on(settings) { http in
            let nearby = try await http.execute(uri: "/v1/nearby?lat=43.73&lng=7.42&radius_m=5000&limit=50", method: .get) { response in
                let results = try TestApp.json(response.body)["results"] as? [[String: Any]] ?? []
                return results.map { "\($0["user_id"] ?? "") \($0["distance_m"] ?? "")" }
            }
            await collected.add(nearby)
            for driver in drivers {
                await collected.add([try await http.execute(uri: "/v1/locations/\(driver)/current", method: .get) { response in
                    "\(response.status.code) \(String(buffer: response.body))"
                }])
            }
            await collected.add(["\(try await CacheAPITests.get(http, "order-1")?["value"] ?? "missing")"])
        }
        return await collected.lines
    }

    private actor AnswerLog {
        var lines: [String] = []
        func add(_ more: [String]) { lines += more }
    }
}
