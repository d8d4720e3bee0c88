import Logging

enum LoggingSetup {
    /// Logs to standard error at WAYLINE_LOG_LEVEL (default info).
    static func bootstrap(_ environment: Environment) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = environment.logLevel
            return DeferredMetadataLogHandler(handler)
        }
        return Logger(label: "wayline")
    }
}
