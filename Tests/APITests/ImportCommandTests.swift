import Foundation
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
