/// Where the HTTP server listens. Loopback by default: exposing the service is
/// a deliberate choice (`WAYLINE_HOST=0.0.0.0`).
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// A connection that sends nothing for this long, between requests or in
    /// the middle of one, is closed, so stalled clients cannot pile up
    /// connections (Hummingbird keeps them forever by default).
    public var idleTimeout: Duration

    public init(host: String = "127.0.0.1", port: Int = 8080, idleTimeout: Duration = .seconds(60)) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
    }
}
