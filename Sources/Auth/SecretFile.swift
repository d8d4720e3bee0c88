import Foundation

/// A secret the embedded default keeps in its data directory: made on first
/// start, a file of mode 0600, reused afterwards.
public enum SecretFile {
    /// The secret in the file at `path`, made by `make` and written there if there is none.
    public static func loadOrCreate(path: String, make: () -> String) throws -> String {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        let secret = make()
        // Created with 0600 from the start: never readable by others, not even briefly.
        guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return secret
    }
}
