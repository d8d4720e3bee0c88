import ArgumentParser

@main
struct Wayline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wayline",
        abstract: "Geospatial routing and caching service on PostgreSQL + PostGIS.",
        subcommands: [ServeCommand.self, MigrateCommand.self, ImportOSMCommand.self, DatabaseCommand.self, TokenCommand.self, SecretsCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
