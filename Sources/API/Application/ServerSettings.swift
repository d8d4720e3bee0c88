import Foundation
public import Logging
public import NIOSSL
public import Storage
public import Webhooks

/// Where the HTTP server listens, and how long it waits. Loopback by
/// default: exposing the service is a deliberate choice (`WAYLINE_HOST=0.0.0.0`).
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// A connection that sends nothing for this long, in the middle of a
    /// request, is closed, so stalled clients cannot pile up connections
    /// (Hummingbird keeps them forever by default).
    public var idleTimeout: Duration
    /// A request head must arrive in full within this long of the connection
    /// opening or the previous response ending (see `HeadTimeoutHandler`).
    public var headerTimeout: Duration
    /// Every request is answered within this long (`WAYLINE_REQUEST_TIMEOUT`; see `DeadlineResponder`).
    public var requestTimeout: Duration
    /// How long `serve` waits for an unreachable database before giving up (`WAYLINE_DB_WAIT`).
    public var databaseWait: Duration
    /// Connections the kernel may hold for the server to accept (capped by
    /// `net.core.somaxconn`). Hummingbird's 256 made 2,000 clients connecting
    /// at once wait for SYN retries, seconds each (chaos scenario 5).
    public var backlog = 4_096
    /// The level of the access log's line per request (`WAYLINE_ACCESS_LOG`); nil writes none.
    public var accessLog: Logger.Level? = .info
    /// Serve `/metrics` on this port instead of the service's (`WAYLINE_METRICS_PORT`).
    public var metricsPort: Int?
    /// This instance's name in the service registry (`WAYLINE_SERVICE_NAME`):
    /// unique per instance, `wayline@{host name}:{port}` by default.
    public var serviceName: String?

    /// `serviceName`, or its default.
    public var instanceName: String { serviceName ?? "wayline@\(ProcessInfo.processInfo.hostName):\(port)" }
    /// Attempts after the first before a geofence webhook message is
    /// dead-lettered (`WAYLINE_WEBHOOK_RETRIES`); back-off doubles from 1 s,
    /// so the default 8 keeps trying for about four minutes.
    public var webhookRetries = 8
    /// Where geofence webhooks may be aimed: public https hosts, and the
    /// networks of `WAYLINE_WEBHOOK_ALLOW_NETWORKS` (docs/geofences.md).
    public var webhooks = WebhookPolicy()
    /// Seals geofence webhook secrets at rest (`WAYLINE_SECRETS_KEY`, or the
    /// embedded default's key file); nil: fences with a webhook are refused
    /// (503), since their secrets could only be stored readable.
    public var webhookSecrets: WebhookSecretBox?
    /// Serve HTTPS with this certificate and key (`WAYLINE_TLS_CERT`,
    /// `WAYLINE_TLS_KEY`); nil: plain HTTP (behind a proxy that ends TLS, or on loopback).
    public var tls: TLSConfiguration?
    /// Geofence event streams (SSE) open at once per token subject
    /// (`WAYLINE_SSE_STREAMS_PER_SUBJECT`); one more is answered 429.
    public var streamsPerSubject = 4
    /// Browser origins allowed to call the service (`WAYLINE_CORS_ORIGINS`); nil: none.
    public var cors: CORSPolicy?
    /// Monthly partitions whose month ended longer ago than this are detached
    /// from their tables (`WAYLINE_PARTITION_RETENTION`, a year by default).
    public var partitionRetention: Duration = .seconds(365 * 86_400)
    /// How often the instance writes its figures to `system_metrics`.
    public var metricsInterval: Duration = .seconds(60)
    /// Slow statements and sampled cache operations into seed 000's logs
    /// (`WAYLINE_SLOW_STATEMENT_MS`, `WAYLINE_CACHE_LOG_SAMPLE`).
    public var performanceLog = PerformanceLog.Settings()
    /// The environment feature flags are evaluated for (`WAYLINE_ENVIRONMENT`).
    public var environment = "production"

    public init(
        host: String = "127.0.0.1", port: Int = 8080, idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(8),
        requestTimeout: Duration = .seconds(5), databaseWait: Duration = .seconds(60)
    ) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.requestTimeout = requestTimeout
        self.databaseWait = databaseWait
    }
}
