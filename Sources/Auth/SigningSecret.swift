import Foundation

/// The embedded default's HS256 secret: made on first start, a file of mode
/// 0600 in the data directory, reused afterwards.
public enum SigningSecret {
    public static func path(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("jwt-secret").path
    }

    /// The secret in `dataDirectory`, created if there is none.
    public static func loadOrCreate(dataDirectory: String) throws -> String {
        let file = path(dataDirectory: dataDirectory)
        if let existing = try? String(contentsOfFile: file, encoding: .utf8) {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        // 48 bytes from the system's CSPRNG, base64url: 64 characters.
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<48).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        // Created with 0600 from the start: never readable by others, not even briefly.
        guard FileManager.default.createFile(atPath: file, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file])
        }
        return secret
    }
}
