public import Foundation

/// One SQL file of `migrations/`, applied once, in name order, in its own transaction.
public struct Migration: Sendable, Equatable {
    /// The file name, for example `20260401100000_system_observability.sql`.
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// Every `*.sql` file directly in `directory`, sorted by name. Names start
    /// with a 14-digit timestamp so that name order is creation order.
    public static func load(from directory: URL) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .directoryUnreadable(directory.path)
        }
        var migrations: [Migration] = []
        for name in names.filter({ $0.hasSuffix(".sql") }).sorted() {
            guard name.utf8.count > 15, name.prefix(14).allSatisfy(\.isNumber), name.dropFirst(14).first == "_" else {
                throw .badFileName(name)
            }
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                throw .directoryUnreadable(directory.path)
            }
            migrations.append(Migration(name: name, sql: String(decoding: data, as: UTF8.self)))
        }
        return migrations
    }

    /// The repository's `migrations/` folder: `WAYLINE_MIGRATIONS_DIR` when set,
    /// else `./migrations` when the working directory has one, else the folder
    /// next to the sources this binary was built from.
    public static func defaultDirectory() -> URL {
        if let configured = ProcessInfo.processInfo.environment["WAYLINE_MIGRATIONS_DIR"] {
            return URL(fileURLWithPath: configured)
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("migrations")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        // This file is Sources/Storage/Migrations/Migration.swift.
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("migrations")
    }
}
