import Foundation
import NIOCore
import NIOSSL
public import PostgresNIO

/// Where and how to connect to PostgreSQL, parsed once from a libpq-style URL
/// and turned into either a pool configuration (`PostgresClient`) or a single
/// connection's (`PostgresConnection`, for the start-up probe).
///
/// Accepted URLs: `postgres://` or `postgresql://`, `user[:password]@host[:port]/database`,
/// and the query parameters `sslmode` (disable, allow, prefer, require,
/// verify-ca, verify-full) and `host` (a directory holding the server's unix
/// socket, as libpq and `psql` accept it: `postgresql://wayline@/wayline?host=/run/pg`).
public struct DatabaseSettings: Sendable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    public enum TLSMode: Sendable, Equatable {
        case disable, prefer, require
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(endpoint: Endpoint, username: String, password: String? = nil, database: String, tls: TLSMode = .prefer) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    public init(url: String) throws(DatabaseURLError) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw .invalid("expected postgres://user:password@host:port/database") }

        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        username = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? query["user"] ?? "postgres"
        password = components.password ?? query["password"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? (query["dbname"] ?? username) : path
        let port = components.port ?? query["port"].flatMap(Int.init) ?? 5432
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        case let other: throw .invalid("unknown sslmode '\(other)'")
        }
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            endpoint = .unixSocket(path: "\(socketDirectory)/.s.PGSQL.\(port)")
        } else if let host = components.host, !host.isEmpty {
            endpoint = .tcp(host: host, port: port)
        } else {
            throw .invalid("the URL names no host")
        }
    }

    /// The pool's configuration.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        case .tcp(let host, let port):
            let tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            let tls: PostgresClient.Configuration.TLS = switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration)
            case .require: .require(tlsConfiguration)
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// A single connection's configuration.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS = switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// Where the server is, for messages (never includes the password).
    public var location: String {
        switch endpoint {
        case .tcp(let host, let port): "\(host):\(port)/\(database)"
        case .unixSocket(let path): "\(path)/\(database)"
        }
    }
}

/// Why a connection URL could not be used. The URL itself is never echoed,
/// since it may carry a password.
public enum DatabaseURLError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let reason): "DATABASE_URL is not a valid PostgreSQL URL: \(reason)"
        }
    }
}

extension DatabaseSettings {
    /// Host and port as libpq takes them (the tools Wayline runs: pg_dump,
    /// pg_restore): for a unix socket, its directory and the port in its name.
    var libpqHostAndPort: (host: String, port: String) {
        switch endpoint {
        case .tcp(let host, let port): (host, String(port))
        case .unixSocket(let path): (URL(fileURLWithPath: path).deletingLastPathComponent().path, URL(fileURLWithPath: path).pathExtension)
        }
    }
}
