import Auth
import Cache
import Foundation
import Geometry
import Webhooks
public import Hummingbird
public import HummingbirdCore
import HummingbirdTLS
public import Logging
public import PostgresNIO
public import Routing
import ServiceLifecycle
public import Storage

/// Builds the HTTP application: routes, middleware, and the services it owns.
///
/// The database client runs as one of the application's services, and the
/// migrations run before the server accepts its first connection, so an
/// instance never serves against an older schema than it was built for.
public enum ApplicationBuilder {
    /// - Parameters:
    ///   - client: the pool every request uses: a role that row-level security applies to.
    ///   - owner: the pool migrations run on (the tables' owner); `client` when nil.
    ///   - database: where `client` connects, for the health probe's confirming connection (DatabaseHealth).
    ///   - metrics: the Prometheus exposition of the metrics backend the process bootstrapped.
    public static func build(
        settings: ServerSettings,
        state: ServiceState = ServiceState(),
        auth: AuthSettings,
        locationSettings: LocationSettings = LocationSettings(),
        cacheSettings: CacheSettings = CacheSettings(),
        routeSettings: RouteSettings = RouteSettings(),
        client: PostgresClient,
        owner: PostgresClient? = nil,
        database: DatabaseSettings? = nil,
        migrations: [Migration],
        metrics: @escaping @Sendable () -> [UInt8],
        logger: Logger
    ) -> some ApplicationProtocol {
        let runner = MigrationRunner(migrations: migrations, client: owner ?? client, logger: logger)
        let schema = state.schema
        let health = DatabaseHealth(client: client, confirmingWith: database, logger: logger)
        let errors = ErrorMiddleware<WaylineContext>(health: health)
        // HEAD answers with GET's headers and no body, as clients and load
        // balancers probing a URL expect (Hummingbird answers 404 otherwise).
        let router = Router(context: WaylineContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: errors)
        let fences = LiveGeofences(client: client, ready: { _ = await schema.wait() }, logger: logger)
        HealthController(health: health, state: state, runner: runner, fences: fences).addRoutes(to: router)
        OpenAPIController().addRoutes(to: router)

        let flags = FeatureFlags(client: client, environment: settings.environment, ready: { _ = await schema.wait() }, logger: logger)
        let audit = AuditLog(repository: AuditRepository(client: client))
        let performance = PerformanceLog(client: client, settings: settings.performanceLog, logger: logger)
        let repository = LocationRepository(client: client, performance: performance)
        let network = RoadNetwork()
        let index = LiveDriverIndex(network: network, driverSnapMeters: locationSettings.maximumDriverSnapMeters)
        let delivery = GeofenceDelivery(
            client: client, worker: settings.instanceName, policy: settings.webhooks, secrets: settings.webhookSecrets,
            ready: { _ = await schema.wait() }, logger: logger
        )
        let outbox = GeofenceOutbox(fences: fences, webhookRetries: settings.webhookRetries) { delivery.wake() }
        let writer = LocationWriter(repository: repository, outbox: outbox, batchBound: settings.requestTimeout) { index.apply($0) }
        let routes = RouteService(network: network, repository: RouteRepository(client: client, performance: performance), settings: routeSettings) {
            !flags.isOn(.routesWithoutTable)
        }
        LocationController(
            repository: repository, writer: writer, index: index, flags: flags, routes: routes, settings: locationSettings, policy: auth.policy,
            audit: audit
        ).addRoutes(to: router)
        GeofenceController(
            repository: GeofenceRepository(client: client), fences: fences, feed: GeofenceFeed(client: client), policy: auth.policy,
            webhooks: settings.webhooks, secrets: settings.webhookSecrets, longestWait: settings.requestTimeout - .seconds(1),
            streams: StreamSlots(perSubject: settings.streamsPerSubject), logger: logger
        ).addRoutes(to: router)
        let follower = LiveIndexFollower(repository: repository, index: index, after: schema, logger: logger)

        let cache = TieredCache(
            repository: CacheRepository(client: client, performance: performance), limits: cacheSettings.l1, performance: performance,
            render: CacheResponses.entry
        )
        CacheController(cache: cache, settings: cacheSettings, policy: auth.policy).addRoutes(to: router)
        PrivacyController(repository: repository, index: index, cache: cache, policy: auth.policy, audit: audit).addRoutes(to: router)
        let routeController = RouteController(service: routes, simplifier: LineSimplifier(), policy: auth.policy)
        routeController.addRoutes(to: router)
        TripController(routes: routeController).addRoutes(to: router)
        MatchController(routes: routeController).addRoutes(to: router)
        TableController(service: routes, policy: auth.policy).addRoutes(to: router)
        NearestController(service: routes, policy: auth.policy).addRoutes(to: router)
        let requestMetrics = RequestMetrics()
        let figures = ScrapeFigures(index: index, health: health, memoryStatistics: { cache.l1.statistics }, lookups: { cache.lookupsByTenant })
        let exposition = MetricsController(figures: figures, render: metrics)
        var metricsServer: [any Service] = []
        if let port = settings.metricsPort {
            let metricsRouter = Router()
            exposition.addRoutes(to: metricsRouter)
            metricsServer.append(Application(
                router: metricsRouter, configuration: .init(address: .hostname(settings.host, port: port), serverName: "wayline"), logger: logger
            ))
        } else {
            exposition.addRoutes(to: router)
        }
        router.answerOtherMethodsNotAllowed()
        // Routes in memory were computed on the network being replaced.
        let loader = RoadNetworkLoader(repository: RoadNetworkRepository(client: client), network: network, after: schema, logger: logger) {
            routes.forgetLegs()
        }
        let registration = Registration(
            repository: ServiceRegistryRepository(client: client),
            instance: .init(
                name: settings.instanceName, version: WaylineVersion.current,
                endpoint: "http://\(settings.host):\(settings.port)", capabilities: ["locations", "nearby", "routes", "tables", "cache", "geofences"]
            ),
            state: state, health: health, figures: { Self.heartbeatFigures(index: index, cache: cache.l1.statistics, health: health) }, logger: logger
        )
        let jobs = JobRunner(
            client: owner ?? client, jobs: MaintenanceJobs.all(cache: cache, locations: repository, locationSettings: locationSettings, server: settings, logger: logger),
            workerID: registration.instance.name, ready: { await schema.wait() }, logger: logger
        )
        let reporter = MetricsReporter(
            repository: SystemMetricsRepository(client: client), service: registration.instance.name, window: requestMetrics.window,
            drivers: { index.count },
            lookups: {
                let totals = cache.lookupsByTenant.values
                let hits = totals.reduce(0) { $0 + $1.memoryHits + $1.databaseHits }
                return (hits, hits + totals.reduce(0) { $0 + $1.misses })
            },
            ready: { await schema.wait() }, logger: logger, interval: settings.metricsInterval
        )
        let routeLookups = PeriodicJob("route lookup counting", every: routeSettings.lookupFlushInterval, logger: logger) {
            try await routes.flushLookups()
        }

        let startup = Startup(runner: runner, schema: schema, client: client, owner: owner ?? client, wait: settings.databaseWait, logger: logger)
        return Application(
            responder: ObservingResponder(
                next: MalformedRequestResponder(next: CORSResponder(next: LifecycleResponder(
                    next: DeadlineResponder(
                        next: AuthResponder(next: RoutePathResponder(router: router.buildResponder(), routes: routeController, errors: errors), settings: auth),
                        timeout: settings.requestTimeout, health: health
                    ),
                    state: state
                ), policy: settings.cors)),
                metrics: requestMetrics, accessLog: settings.accessLog
            ),
            server: server(settings),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "wayline", backlog: settings.backlog),
            // A graceful shutdown stops services one at a time, last first:
            // the pools come first so that they close after every service
            // that queries them. With the owner's pool last, it closed while
            // the job runner (which queries it) was mid-round, and the job's
            // query was never answered: shutdown waited for ever (a test
            // application's teardown; `serve` past its shutdown bound).
            services: [client] + (owner.map { [$0] } ?? []) + [
                health, startup, follower, fences, delivery, CacheListener(cache: cache, logger: logger), loader, routeLookups, jobs, registration, flags,
                reporter, performance,
            ] + (index.placed.map { [$0] } ?? []) + cache.maintenance(logger: logger) + metricsServer,
            logger: logger
        )
    }

    /// The figures a registry heartbeat carries.
    private static func heartbeatFigures(index: LiveDriverIndex, cache: L1Statistics, health: DatabaseHealth) -> String {
        var json = JSONWriter(capacity: 128)
        json.beginObject()
        json.field("live_index_drivers", index.count)
        json.field("cache_memory_entries", cache.entries)
        json.field("cache_coherent", cache.coherent)
        json.field("database_up", health.isUp)
        json.endObject()
        return String(buffer: json.buffer)
    }

    /// HTTP/1.1 with the service's idle timeout, heads the parser cannot read
    /// passed on to `MalformedRequestResponder`, and connections closed after
    /// a response that says so; over TLS when `settings.tls` is set.
    public static func server(_ settings: ServerSettings) -> HTTPServerBuilder {
        let http = http1(settings)
        guard let tls = settings.tls else { return http }
        // `tls` only wraps the builder; the TLS context is made per child channel, where its errors surface.
        return try! .tls(http, tlsConfiguration: tls)
    }

    private static func http1(_ settings: ServerSettings) -> HTTPServerBuilder {
        let limit = MalformedRequest.headLimitBytes
        return .http1(configuration: .init(
            additionalChannelHandlers: [
                MalformedRequestHandler(), CloseAfterResponseHandler(), HeadTimeoutHandler(timeout: TimeAmount(settings.headerTimeout)),
            ],
            idleTimeout: TimeAmount(settings.idleTimeout),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: limit, maxHeaderListSize: limit)
        ))
    }
}
