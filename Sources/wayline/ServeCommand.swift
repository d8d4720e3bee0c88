import API
import ArgumentParser
import PostgresNIO
import ServiceLifecycle
import Storage

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Migrate the database and serve HTTP (WAYLINE_HOST, WAYLINE_PORT; default 127.0.0.1:8080)."
    )

    func run() async throws {
        let environment = Environment()
        let logger = LoggingSetup.bootstrap(environment)
        let settings = ServerSettings(host: environment.host, port: try environment.port())
        let migrations = try Migration.load(from: Migration.defaultDirectory())
        let target = try await DatabaseTarget.resolve(environment, logger: logger)
        defer { target.release(logger: logger) }

        let client = PostgresClient(configuration: target.settings.clientConfiguration, backgroundLogger: logger)
        let app = ApplicationBuilder.build(settings: settings, client: client, migrations: migrations, logger: logger)
        // SIGTERM or SIGINT first stops the service gracefully: requests in
        // flight finish, listeners and jobs end, the pool closes. That is
        // bounded, so that nothing which fails to notice it can keep the
        // process alive: the benchmark harness once found an instance idle
        // but still running ten seconds after SIGTERM. Past the bound the
        // services are cancelled, and if even that does not end them, the
        // process stops with an error naming the wait.
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(5)
        group.maximumCancellationDuration = .seconds(3)
        try await ServiceGroup(configuration: group).run()
    }
}
