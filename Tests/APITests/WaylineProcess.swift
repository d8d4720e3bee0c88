import Foundation

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

    /// Runs to the end; returns the exit status and what it printed (stdout, stderr).
    static func run(_ arguments: [String], environment: [String: String?]) throws -> (status: Int32, output: String, errors: String) {
        try finish(make(arguments, environment: environment))
    }

    /// Runs `process` to the end and collects what it printed.
    static func finish(_ process: Process) throws -> (status: Int32, output: String, errors: String) {
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complained = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self), String(decoding: complained, as: UTF8.self))
    }
}
