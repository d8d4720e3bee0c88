import Foundation
import Logging

/// Configuration read from the environment, in one place.
struct Environment {
    private let values = ProcessInfo.processInfo.environment

    /// `DATABASE_URL`: use this server; when unset, Wayline runs its own.
    var databaseURL: String? { values["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    /// `WAYLINE_DATA_DIR`: the embedded cluster's home (default `.wayline`).
    var dataDirectory: String { values["WAYLINE_DATA_DIR"] ?? ".wayline" }
    var host: String { values["WAYLINE_HOST"] ?? "127.0.0.1" }

    func port() throws -> Int {
        guard let raw = values["WAYLINE_PORT"] else { return 8080 }
        guard let port = Int(raw), (1...65535).contains(port) else {
            throw ConfigurationError("WAYLINE_PORT must be a port number between 1 and 65535, got '\(raw)'")
        }
        return port
    }

    var logLevel: Logger.Level { values["WAYLINE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info }
}

struct ConfigurationError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
