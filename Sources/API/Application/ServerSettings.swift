/// Where the HTTP server listens. Loopback by default: exposing the service is
/// a deliberate choice (`WAYLINE_HOST=0.0.0.0`).
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}
