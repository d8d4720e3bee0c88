import ArgumentParser
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations, or list applied and pending ones with --status."
    )

    @Flag(help: "List applied and pending migrations without changing anything.")
    var status = false

    func run() async throws {
        let report = try await DatabaseTarget.withClient { client, _, migrations, logger in
            let runner = MigrationRunner(migrations: migrations, client: client, logger: logger)
            if status {
                return Self.describe(try await runner.status())
            }
            let applied = try await runner.migrate()
            return applied.isEmpty ? "nothing to apply; the schema is current" : "applied \(applied.count) migrations"
        }
        print(report)
    }

    private static func describe(_ status: MigrationStatus) -> String {
        var lines = status.applied.map { applied in
            let note = status.changed.contains(applied.name) ? "  CHANGED since applied" : ""
            return "applied  \(applied.name)\(note)"
        }
        lines += status.pending.map { "pending  \($0)" }
        lines += status.unknown.map { "unknown  \($0)  (applied, but not in this build)" }
        return lines.joined(separator: "\n")
    }
}
