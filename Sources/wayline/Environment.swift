import Foundation
import Logging
import Storage
import Webhooks

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

    /// `WAYLINE_ACCESS_LOG`: the level of the line per request (default `info`), or `off`.
    func accessLog() throws -> Logger.Level? {
        guard let raw = value("WAYLINE_ACCESS_LOG")?.lowercased() else { return .info }
        if raw == "off" { return nil }
        guard let level = Logger.Level(rawValue: raw) else {
            throw ConfigurationError("WAYLINE_ACCESS_LOG must be off or a log level (trace, debug, info, notice, warning), got '\(raw)'")
        }
        return level
    }

    /// `WAYLINE_METRICS_PORT`: serve `/metrics` on this port of `WAYLINE_HOST` instead of the service's.
    func metricsPort() throws -> Int? {
        guard let raw = value("WAYLINE_METRICS_PORT") else { return nil }
        guard let port = Int(raw), (1...65535).contains(port) else {
            throw ConfigurationError("WAYLINE_METRICS_PORT must be a port number between 1 and 65535, got '\(raw)'")
        }
        return port
    }

    /// `WAYLINE_SLOW_STATEMENT_MS` (statements at least this slow go to
    /// `query_performance_log`; default 200, `off`) and `WAYLINE_CACHE_LOG_SAMPLE`
    /// (one cache operation in this many goes to `cache_performance_log`; default 100, 0 for none).
    func performanceLog() throws -> PerformanceLog.Settings {
        var settings = PerformanceLog.Settings()
        if let raw = value("WAYLINE_SLOW_STATEMENT_MS") {
            if raw.lowercased() == "off" {
                settings.slowStatement = nil
            } else {
                guard let milliseconds = Int(raw), milliseconds >= 0 else {
                    throw ConfigurationError("WAYLINE_SLOW_STATEMENT_MS must be off or a number of milliseconds, got '\(raw)'")
                }
                settings.slowStatement = .milliseconds(milliseconds)
            }
        }
        if let raw = value("WAYLINE_CACHE_LOG_SAMPLE") {
            guard let every = Int(raw), every >= 0 else {
                throw ConfigurationError("WAYLINE_CACHE_LOG_SAMPLE must be 0 (none) or n, to log one cache operation in n, got '\(raw)'")
            }
            settings.cacheSampleEvery = every
        }
        return settings
    }

    /// A variable's value, nil when unset or empty.
    func value(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `true`/`false` (also `1`/`0`, `on`/`off`, `yes`/`no`); `fallback` when unset.
    func flag(_ name: String, default fallback: Bool) throws -> Bool {
        guard let raw = value(name) else { return fallback }
        switch raw.lowercased() {
        case "true", "1", "on", "yes": return true
        case "false", "0", "off", "no": return false
        default: throw ConfigurationError("\(name) must be true or false, got '\(raw)'")
        }
    }

    /// A comma-separated list of CIDR ranges (`127.0.0.0/8, ::1/128`); empty when unset.
    func networks(_ name: String) throws -> [IPNetwork] {
        guard let raw = value(name) else { return [] }
        return try raw.split(separator: ",").map { part in
            guard let network = IPNetwork(String(part)) else {
                throw ConfigurationError("\(name) must be CIDR ranges separated by commas (127.0.0.0/8,::1/128), got '\(part)'")
            }
            return network
        }
    }

    /// A positive number; nil when unset.
    func positiveNumber(_ name: String) throws -> Double? {
        guard let raw = value(name) else { return nil }
        guard let number = Double(raw), number.isFinite, number > 0 else {
            throw ConfigurationError("\(name) must be a number above 0, got '\(raw)'")
        }
        return number
    }

    /// A duration such as `30d`, `12h`, `15m`, `90s` or `90` (seconds); nil when unset.
    func duration(_ name: String) throws -> Duration? {
        try value(name).map { try Self.parseDuration($0, name: name) }
    }

    static func parseDuration(_ raw: String, name: String) throws -> Duration {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        let unit = raw.last.flatMap { units[$0] }
        guard let count = Int64(unit == nil ? raw : String(raw.dropLast())), count > 0 else {
            throw ConfigurationError("\(name) must be a duration such as 30d, 12h, 15m or 90s, got '\(raw)'")
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: unit ?? 1)
        guard !overflow else { throw ConfigurationError("\(name) is too long: '\(raw)'") }
        return .seconds(product)
    }
}

struct ConfigurationError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
