import ArgumentParser
import Foundation
import Storage

/// `wayline db health | slow | index-usage | vacuum` (seed 003's
/// operations), against `DATABASE_URL` or the embedded cluster.
extension DatabaseCommand {
    struct Output: ParsableArguments {
        @Flag(help: "Print JSON (an array of sections, each with its rows as objects) instead of tables.")
        var json = false

        /// Makes the report against the target database and prints it.
        func report(_ make: @escaping @Sendable (DatabaseReport) async throws -> [DatabaseReport.Section]) async throws {
            try print(try await DatabaseTarget.withClient { client, _, _, _ in try await make(DatabaseReport(client: client)) })
        }

        func print(_ sections: [DatabaseReport.Section]) throws {
            if json {
                let objects: [[String: Any]] = sections.map { section in
                    ["section": section.title, "rows": section.rows.map { Dictionary(uniqueKeysWithValues: zip(section.columns, $0)) }]
                }
                Swift.print(String(decoding: try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
                return
            }
            for (number, section) in sections.enumerated() {
                if number > 0 { Swift.print() }
                Swift.print(section.title)
                guard !section.rows.isEmpty else {
                    Swift.print("  " + section.empty)
                    continue
                }
                let widths = section.columns.indices.map { column in
                    ([section.columns[column]] + section.rows.map { $0[column] }).map(\.count).max() ?? 0
                }
                func line(_ cells: [String]) -> String {
                    "  " + zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                }
                Swift.print(line(section.columns))
                Swift.print(line(widths.map { String(repeating: "-", count: $0) }))
                for row in section.rows { Swift.print(line(row)) }
            }
        }
    }

    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connections, long transactions, cache hit ratio, dead rows, partitions ahead, replication lag."
        )
        @OptionGroup var output: Output

        func run() async throws {
            try await output.report { try await $0.health() }
        }
    }

    struct Slow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The statements that took the most time (pg_stat_statements).")
        @Option(help: "How many statements.") var limit = 10
        @OptionGroup var output: Output

        func run() async throws {
            let limit = limit
            try await output.report { [try await $0.slowStatements(limit: limit)] }
        }
    }

    struct IndexUsage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "index-usage", abstract: "Indexes never or rarely used, largest first.")
        @Option(help: "Show indexes scanned fewer times than this.") var below = 50
        @OptionGroup var output: Output

        func run() async throws {
            let below = below
            try await output.report { [try await $0.indexUsage(rarelyBelow: below)] }
        }
    }

    struct Vacuum: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "VACUUM the database, or one table.")
        @Flag(help: "Update the planner's statistics too.") var analyze = false
        @Argument(help: "A table (default: every table).") var table: String?

        func run() async throws {
            let (table, analyze) = (table, analyze)
            try await DatabaseTarget.withClient { client, _, _, _ in try await DatabaseReport(client: client).vacuum(table: table, analyze: analyze) }
            print(table.map { "vacuumed \($0)" } ?? "vacuumed the database")
        }
    }
}
