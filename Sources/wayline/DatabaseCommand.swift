import ArgumentParser
import Storage

/// Manages the embedded cluster by hand: the test and benchmark scripts start a
/// throwaway one with it, and `url` prints the libpq URL for psql or pgbench.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "The embedded PostgreSQL cluster (start, stop, url), and reports, upkeep and backups of the database (DATABASE_URL or the embedded one).",
        subcommands: [Start.self, Stop.self, URL.self, Health.self, Slow.self, IndexUsage.self, Vacuum.self, Backup.self, Restore.self]
    )

    struct Options: ParsableArguments {
        @Option(help: "The data directory (default: WAYLINE_DATA_DIR or .wayline).")
        var dataDir: String?

        @Option(name: .customLong("set"), help: "A server setting name=value, repeatable (e.g. --set fsync=off).")
        var settings: [String] = []

        func cluster() throws -> EmbeddedPostgres {
            try EmbeddedPostgres(dataDirectory: dataDir ?? Environment().dataDirectory, serverSettings: settings)
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Initialise if needed, start, and print DATABASE_URL.")
        @OptionGroup var options: Options

        func run() async throws {
            let logger = try LoggingSetup.bootstrap(Environment())
            let cluster = try options.cluster()
            try await cluster.start()
            try await cluster.createDatabaseIfMissing(logger: logger)
            print(cluster.url)
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the cluster if it is running.")
        @OptionGroup var options: Options

        func run() async throws {
            try await options.cluster().stop()
        }
    }

    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the cluster's DATABASE_URL.")
        @OptionGroup var options: Options

        func run() throws {
            print(try options.cluster().url)
        }
    }
}
