import Logging

/// Standard error as `StreamLogHandler` writes it, but logger metadata is only
/// kept when set and rendered when a message is actually written.
/// `StreamLogHandler` re-renders all its metadata whenever one key is set, and
/// Hummingbird sets the request id on every request: 2–3 % of a cache or
/// route hit in a profile, for log lines that at the default level are never
/// written.
struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(_ stream: StreamLogHandler) {
        self.stream = stream
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        // What the call passes wins over what the logger carries, as in StreamLogHandler.
        event.metadata = metadata.merging(event.metadata ?? [:]) { $1 }
        stream.log(event: event)
    }
}
