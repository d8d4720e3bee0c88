import API
import ArgumentParser
import PostgresNIO
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
        try await app.runService()
    }
}
