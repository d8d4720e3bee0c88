import ArgumentParser
import Storage

/// `wayline db backup FILE | restore FILE`, against `DATABASE_URL` or the
/// embedded cluster.
extension DatabaseCommand {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the whole database to FILE (pg_dump's custom format).")
        @Argument(help: "Where to write the backup (replaced if it exists).") var file: String

        func run() async throws {
            let file = file
            try await DatabaseTarget.withClient { _, target, _, _ in try await DatabaseBackup(settings: target.settings).write(to: file) }
            print("backed up to \(file)")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a backup into the database, which must be empty (all or nothing, in one transaction)."
        )
        @Argument(help: "A file written by `wayline db backup`.") var file: String

        func run() async throws {
            let file = file
            try await DatabaseTarget.withClient { client, target, _, _ in
                try await DatabaseBackup(settings: target.settings).restore(from: file, client: client)
            }
            print("restored \(file)")
        }
    }
}
