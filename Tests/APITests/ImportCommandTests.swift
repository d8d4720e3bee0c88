import Foundation
import PostgresNIO
import Testing
import TestSupport

/// `wayline import-osm` as a user runs it: plain progress lines when its
/// output is a file or a pipe, a bar redrawn in place on a terminal; both
/// with the percentage of the whole import and the time left.
@Suite(.timeLimit(.minutes(10))) struct ImportCommandTests {
    @Test func printsPlainProgressLinesIntoAPipe() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let run = try await WaylineProcess.run(["import-osm", RoadNetworkFixture.path("monaco")], environment: [
                "DATABASE_URL": try TestDatabase.url(database: settings.database), "WAYLINE_LOG_LEVEL": "error",
            ])
            #expect(run.status == 0, "\(run.errors)")
            let lines = run.output.split(separator: "\n").map(String.init)
            #expect(!run.output.contains("\r") && !run.output.contains("\u{1B}"))
            let percents = lines.compactMap { $0.split(separator: "%").first.flatMap { Int($0) } }
            #expect(percents.first == 0 && percents.last == 100 && percents == percents.sorted(), "\(lines)")
            for stage in 1...4 { #expect(lines.contains { $0.contains(" \(stage)/4 ") }, "stage \(stage): \(lines)") }
            #expect(lines.last?.hasPrefix("imported ") == true && lines.last?.contains("road edges") == true, "\(lines)")
        }
    }

    /// Bad extracts get one clear line: one with no road a car may use fails
    /// and leaves the previous network live; a restriction naming a way the
    /// extract lacks is skipped and counted.
    @Test func badExtractsGetOneLineAndKeepTheNetwork() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let environment = ["DATABASE_URL": try TestDatabase.url(database: settings.database), "WAYLINE_LOG_LEVEL": "error"]
            #expect(try await WaylineProcess.run(["import-osm", RoadNetworkFixture.path("monaco")], environment: environment).status == 0)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-extracts-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            func extract(_ name: String, _ body: String) throws -> String {
                let path = directory.appendingPathComponent(name).path
                try """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <osm version="0.6" generator="wayline tests">
                     <node id="1" version="1" lat="0" lon="0"/>
                     <node id="2" version="1" lat="0" lon="0.001"/>
                    \(body)
                    </osm>
                    """.write(toFile: path, atomically: true, encoding: .utf8)
                return path
            }

            func edges() async throws -> Int {
                try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
                    var count = 0
                    for try await rows in try await client.query("SELECT count(*)::int8 FROM road_network.ways").decode(Int.self) { count = rows }
                    return count
                }
            }
            let monaco = try await edges()

            let footpaths = try extract("footpaths.osm", #" <way id="10" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>"#)
            let refused = try await WaylineProcess.run(["import-osm", footpaths], environment: environment)
            let complaint = refused.errors.split(separator: "\n").filter { !$0.isEmpty }
            #expect(refused.status != 0 && complaint.count == 1 && complaint[0].contains("holds no roads open to cars"), "\(refused.errors)")
            #expect(try await edges() == monaco && monaco > 1_000, "the previous network is live")

            let broken = try extract("broken.osm", """
                 <way id="10" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way>
                 <relation id="20" version="1"><member type="way" ref="10" role="from"/><member type="node" ref="2" role="via"/>
                  <member type="way" ref="99" role="to"/><tag k="type" v="restriction"/><tag k="restriction" v="no_left_turn"/></relation>
                """)
            let skipped = try await WaylineProcess.run(["import-osm", broken], environment: environment)
            #expect(skipped.status == 0, "\(skipped.errors)")
            #expect(skipped.output.split(separator: "\n").last?.hasPrefix("skipped 1 turn restrictions") == true, "\(skipped.output)")
        }
    }

    @Test func drawsABarOnATerminal() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            // script(1) gives the command a pseudo-terminal and copies what it drew.
            let command = "\(WaylineProcess.executable.path) import-osm \(RoadNetworkFixture.path("monaco"))"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["--quiet", "--return", "--command", command, "/dev/null"]
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = try TestDatabase.url(database: settings.database)
            environment["WAYLINE_LOG_LEVEL"] = "error"
            process.environment = environment
            let run = try await WaylineProcess.finish(process)
            #expect(run.status == 0, "\(run.output)\(run.errors)")
            let frames = run.output.components(separatedBy: "\r\u{1B}[2K").dropFirst()
            #expect(frames.count >= 5, "\(run.output)")
            #expect(frames.allSatisfy { $0.hasPrefix("[") && $0.contains("%") }, "\(frames)")
            #expect(frames.last?.contains("100%") == true && frames.last?.contains("done") == true, "\(frames.last ?? "")")
        }
    }
}
