import Foundation
import Storage
import Synchronization
import TestSupport

/// The `wayline` binary `make test` builds, run as a user would run it.
enum WaylineProcess {
    static let executable = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/wayline")

    /// A process of `arguments` with `environment` added to this one's (nil removes a variable).
    static func make(_ arguments: [String], environment: [String: String?]) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in environment { merged[name] = value }
        process.environment = merged
        return process
    }

    /// `wayline serve` started on `port` against the database `settings`
    /// names, with the tests' signing secret and errors-only logs; `extra`
    /// adds to or overrides that environment. The caller kills it.
    static func serve(_ settings: DatabaseSettings, port: Int, _ extra: [String: String?] = [:]) throws -> Process {
        let common: [String: String?] = [
            "DATABASE_URL": try TestDatabase.url(database: settings.database), "WAYLINE_JWT_SECRET": TestAuth.secret,
            "WAYLINE_PORT": "\(port)", "WAYLINE_LOG_LEVEL": "error",
        ]
        let server = make(["serve"], environment: common.merging(extra) { $1 })
        try server.run()
        return server
    }

    /// Runs to the end; returns the exit status and what it printed (stdout, stderr).
    static func run(_ arguments: [String], environment: [String: String?], within limit: Duration = .seconds(120)) async throws
        -> (status: Int32, output: String, errors: String)
    {
        try await finish(make(arguments, environment: environment), within: limit)
    }

    /// Runs `process` to the end and collects what it printed. The reads and
    /// the wait block a thread of their own, not one of Swift concurrency's
    /// few (with those blocked, the tests' own servers and deadlines stop).
    /// A process still running after `limit` is killed, and that is an error.
    static func finish(_ process: Process, within limit: Duration = .seconds(120)) async throws -> (status: Int32, output: String, errors: String) {
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let killed = Atomic(false)
        let killer = Task {
            try await Task.sleep(for: limit)
            killed.store(true, ordering: .relaxed)
            kill(process.processIdentifier, SIGKILL)
        }
        defer { killer.cancel() }
        async let complained = Self.readToEnd(errors)
        let printed = await Self.readToEnd(output)
        let errorText = await complained
        try await waitForExit(process, within: .seconds(10))
        if killed.load(ordering: .relaxed) { throw Timeout(arguments: process.arguments ?? [], limit: limit) }
        return (process.terminationStatus, printed, errorText)
    }

    /// Waits for `process` to end, on a thread of its own; past `limit` it is killed, and that is an error.
    static func waitForExit(_ process: Process, within limit: Duration) async throws {
        let ended = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    Thread {
                        process.waitUntilExit()
                        continuation.resume()
                    }.start()
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            if !first { kill(process.processIdentifier, SIGKILL) }
            group.cancelAll()
            return first
        }
        if !ended { throw Timeout(arguments: process.arguments ?? [], limit: limit) }
    }

    /// What `pipe` carries until its last writer closes it, read on a thread of its own.
    private static func readToEnd(_ pipe: Pipe) async -> String {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)) }.start()
        }
    }

    struct Timeout: Error, CustomStringConvertible {
        let arguments: [String]
        let limit: Duration

        var description: String { "\(arguments.joined(separator: " ")) did not end within \(limit): killed" }
    }
}
