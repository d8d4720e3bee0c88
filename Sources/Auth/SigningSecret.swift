import Foundation

/// The embedded default's HS256 secret (`SecretFile` `jwt-secret` in the data directory).
public enum SigningSecret {
    public static func path(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("jwt-secret").path
    }

    /// The secret in `dataDirectory`, created if there is none.
    public static func loadOrCreate(dataDirectory: String) throws -> String {
        try SecretFile.loadOrCreate(path: path(dataDirectory: dataDirectory)) {
            // 48 bytes from the system's CSPRNG, base64url: 64 characters.
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<48).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
    }
}
