import API
import ArgumentParser
import Auth
import CoreMetrics
import PostgresNIO
import ServiceLifecycle
import Storage
import Telemetry
import Webhooks

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Migrate the database and serve HTTP (WAYLINE_HOST, WAYLINE_PORT; default 127.0.0.1:8080)."
    )

    func run() async throws {
        let environment = Environment()
        let logger = try LoggingSetup.bootstrap(environment)
        var settings = ServerSettings(host: environment.host, port: try environment.port())
        if let timeout = try environment.duration("WAYLINE_REQUEST_TIMEOUT") { settings.requestTimeout = timeout }
        if let wait = try environment.duration("WAYLINE_DB_WAIT") { settings.databaseWait = wait }
        let drain = try environment.duration("WAYLINE_SHUTDOWN_DRAIN") ?? .seconds(2)
        settings.accessLog = try environment.accessLog()
        settings.metricsPort = try environment.metricsPort()
        settings.performanceLog = try environment.performanceLog()
        settings.serviceName = environment.value("WAYLINE_SERVICE_NAME")
        if let retries = try environment.positiveNumber("WAYLINE_WEBHOOK_RETRIES") { settings.webhookRetries = Int(retries) }
        if let streams = try environment.positiveNumber("WAYLINE_SSE_STREAMS_PER_SUBJECT") { settings.streamsPerSubject = Int(streams) }
        settings.webhooks = WebhookPolicy(allowedNetworks: try environment.networks("WAYLINE_WEBHOOK_ALLOW_NETWORKS"))
        if let origins = environment.value("WAYLINE_CORS_ORIGINS") {
            do {
                settings.cors = try CORSPolicy(origins)
            } catch {
                throw ConfigurationError("WAYLINE_CORS_ORIGINS must be * or origins such as https://maps.example.com separated by commas, got '\(error.origin)'")
            }
        }
        switch (environment.value("WAYLINE_TLS_CERT"), environment.value("WAYLINE_TLS_KEY")) {
        case (nil, nil): break
        case (let certificate?, let key?):
            do {
                settings.tls = try TLSFiles.configuration(certificate: certificate, key: key)
            } catch {
                throw ConfigurationError("WAYLINE_TLS_CERT and WAYLINE_TLS_KEY must be readable PEM files (a certificate chain and its private key): \(error)")
            }
        default: throw ConfigurationError("WAYLINE_TLS_CERT and WAYLINE_TLS_KEY go together: set both or neither")
        }
        if let retention = try environment.duration("WAYLINE_PARTITION_RETENTION") { settings.partitionRetention = retention }
        if let name = environment.value("WAYLINE_ENVIRONMENT") {
            guard ["development", "staging", "production"].contains(name) else {
                throw ConfigurationError("WAYLINE_ENVIRONMENT must be development, staging or production, got '\(name)'")
            }
            settings.environment = name
        }
        // Before anything is built: a metric made before the bootstrap counts nowhere.
        let metrics = PrometheusExport()
        MetricsSystem.bootstrap(metrics)
        FileDescriptorLimit.raise(logger: logger)
        MemoryTrim.limitArenas()
        let migrations = try Migration.load(from: Migration.defaultDirectory())
        // With a DATABASE_URL, a missing or unusable key ends `serve` before
        // any connection; the embedded default's secret lives beside its cluster.
        let configured = environment.databaseURL == nil
            ? nil : try await AuthConfiguration.settings(environment, embeddedDataDirectory: nil, logger: logger)
        // A DATABASE_URL that does not answer yet is waited for while serving (`Startup`).
        let target = try await DatabaseTarget.resolve(environment, probe: false, logger: logger)
        try await target.releasing(logger: logger) {
            try await serve(
                target: target, configured: configured, settings: settings, drain: drain, migrations: migrations, metrics: metrics,
                environment: environment, logger: logger
            )
        }
    }

    private func serve(
        target: DatabaseTarget, configured: AuthSettings?, settings: ServerSettings, drain: Duration, migrations: [Migration],
        metrics: PrometheusExport, environment: Environment, logger: Logger
    ) async throws {
        let auth: AuthSettings
        if let configured {
            auth = configured
        } else {
            auth = try await AuthConfiguration.settings(environment, embeddedDataDirectory: target.embeddedDataDirectory, logger: logger)
        }
        var settings = settings
        settings.webhookSecrets = try SecretsConfiguration.box(environment, embeddedDataDirectory: target.embeddedDataDirectory)
        if settings.webhookSecrets == nil {
            logger.notice("fences with a webhook are refused until WAYLINE_SECRETS_KEY is set: their secrets are stored sealed")
        }
        var locationSettings = LocationSettings()
        if let retention = try environment.duration("WAYLINE_LOCATION_RETENTION") { locationSettings.retention = retention }
        if let radius = try environment.positiveNumber("WAYLINE_ETA_MAX_RADIUS_M") { locationSettings.maximumRoadTimeRadiusMeters = radius }
        if let count = try environment.positiveNumber("WAYLINE_ETA_MAX_CANDIDATES") { locationSettings.maximumRoadTimeCandidates = Int(count) }
        if let meters = try environment.positiveNumber("WAYLINE_ETA_MAX_SNAP_M") { locationSettings.maximumDriverSnapMeters = meters }
        if let count = try environment.positiveNumber("WAYLINE_ETA_MAX_VERTICES") { locationSettings.maximumRoadTimeVertices = Int(count) }

        let client = PostgresClient(configuration: target.serviceSettings.clientConfiguration, backgroundLogger: logger)
        let owner = target.embeddedDataDirectory == nil ? nil : PostgresClient(configuration: target.settings.clientConfiguration, backgroundLogger: logger)
        let state = ServiceState()
        let app = ApplicationBuilder.build(
            settings: settings, state: state, auth: auth, locationSettings: locationSettings, client: client, owner: owner,
            database: target.serviceSettings, migrations: migrations, metrics: metrics.render, logger: logger
        )
        var services: [any Service] = [app, MemoryTrim.job(logger: logger)]
        if let cluster = target.embedded { services.append(EmbeddedPostgresSupervisor(cluster: cluster, logger: logger)) }
        if auth.verifier == nil {
            // Said again every minute, so that nobody runs open unawares.
            let warning = PeriodicJob("access control warning", every: .seconds(60), onShutdown: false, logger: logger) {
                logger.warning("WAYLINE_AUTH=off: access control is off, every request acts as service_role")
            }
            logger.warning("WAYLINE_AUTH=off: access control is off, every request acts as service_role")
            services.append(warning)
        }
        // Last, so that a graceful shutdown reaches it first (services stop in reverse order).
        services.append(Drain(state: state, delay: drain, logger: logger))
        // SIGTERM or SIGINT first stops the service gracefully: the drain,
        // then requests in flight finish, listeners and jobs end, the pool
        // closes. That is bounded, so that nothing which fails to notice it
        // can keep the process alive: the benchmark harness once found an
        // instance idle but still running ten seconds after SIGTERM. Past the
        // bound the services are cancelled, and if even that does not end
        // them, the process stops with an error naming the wait: within 10 s
        // of the signal in all (with the default 2 s drain).
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = drain + .seconds(5)
        group.maximumCancellationDuration = .seconds(2)
        try await ServiceGroup(configuration: group).run()
    }
}
