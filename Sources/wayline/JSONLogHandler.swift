import Foundation
import Logging

/// `WAYLINE_LOG_FORMAT=json`: one JSON object a line on standard error, for
/// log shippers. Keys are dotted (`request.id`, `http.status`): nested
/// metadata is flattened into them, so every field is a top-level key.
/// Fixed keys: `time` (RFC 3339, UTC, milliseconds), `level`, `logger`,
/// `message`, `source`; metadata of the same name as one of those is kept
/// under `meta.` + its name.
struct JSONLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private static let output = OutputLock()

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = [:]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        for (key, value) in merged { Self.flatten(value, under: key, into: &fields) }
        for key in ["time", "level", "logger", "message", "source"] where fields[key] != nil {
            fields["meta." + key] = fields.removeValue(forKey: key)
        }
        fields["time"] = Self.timestamp(Date())
        fields["level"] = event.level.rawValue
        fields["logger"] = label
        fields["message"] = event.message.description
        fields["source"] = event.source
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(UInt8(ascii: "\n"))
        Self.output.write(line)
    }

    private static func flatten(_ value: Logger.Metadata.Value, under key: String, into fields: inout [String: Any]) {
        switch value {
        case .string(let string): fields[key] = string
        case .stringConvertible(let convertible): fields[key] = convertible.description
        case .array(let values): fields[key] = values.map(\.description)
        case .dictionary(let nested):
            for (inner, value) in nested { flatten(value, under: key + "." + inner, into: &fields) }
        }
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// Whole lines to standard error, one writer at a time, so that lines of
/// concurrent requests never interleave.
private final class OutputLock: Sendable {
    private let lock = NSLock()

    func write(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(data)
    }
}
