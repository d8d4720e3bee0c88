import Logging

enum LoggingSetup {
    /// Logs to standard error at WAYLINE_LOG_LEVEL (default info), as text or,
    /// with WAYLINE_LOG_FORMAT=json, one JSON object a line.
    static func bootstrap(_ environment: Environment) throws -> Logger {
        let level = environment.logLevel
        switch environment.value("WAYLINE_LOG_FORMAT")?.lowercased() ?? "text" {
        case "text":
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return DeferredMetadataLogHandler(handler)
            }
        case "json":
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        case let other:
            throw ConfigurationError("WAYLINE_LOG_FORMAT must be text or json, got '\(other)'")
        }
        return Logger(label: "wayline")
    }
}
