public import Crypto
import Foundation

/// Webhook secrets at rest: sealed with AES-256-GCM (swift-crypto) under the
/// current key before they are stored, opened only to sign a delivery. Keys
/// retired by a rotation still open what they sealed until `wayline secrets
/// rotate` has sealed it again under the current one.
///
/// Stored form: `aesgcm1:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>`, the
/// key id the first 8 hex digits of the key's SHA-256 (it names the key
/// without revealing it). A value without the prefix was stored before
/// secrets were sealed: it opens as itself, and rotation seals it.
public struct WebhookSecretBox: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let prefix = "aesgcm1:"
    private let current: SymmetricKey
    private let currentID: String
    private let keys: [String: SymmetricKey]

    public init(current: SymmetricKey, previous: [SymmetricKey] = []) {
        self.current = current
        currentID = Self.id(of: current)
        keys = Dictionary((previous + [current]).map { (Self.id(of: $0), $0) }) { _, last in last }
    }

    /// Keys given as base64 of 32 bytes (`openssl rand -base64 32`).
    public init(base64 current: String, previous: [String] = []) throws(Failure) {
        self.init(current: try Self.key(current), previous: try previous.map { (text) throws(Failure) in try Self.key(text) })
    }

    /// A new key, as base64 of 32 bytes from the system's generator.
    public static func newKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    private static func key(_ base64: String) throws(Failure) -> SymmetricKey {
        guard let bytes = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
            throw Failure(description: "a secrets key is base64 of 32 bytes (make one with: openssl rand -base64 32)")
        }
        return SymmetricKey(data: bytes)
    }

    private static func id(of key: SymmetricKey) -> String {
        let digest = key.withUnsafeBytes { SHA256.hash(data: Data($0)) }
        return digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// `secret` sealed under the current key, with a fresh random nonce.
    public func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: current)
        guard let combined = box.combined else { throw Failure(description: "AES-GCM gave no combined form") }
        return Self.prefix + currentID + ":" + combined.base64EncodedString()
    }

    /// The secret in `stored`; throws when it was sealed under a key not
    /// configured here, or was altered.
    public func open(_ stored: String) throws -> String {
        guard stored.hasPrefix(Self.prefix) else { return stored }
        let parts = stored.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let key = keys[String(parts[0])] else {
            throw Failure(description: "the secret was sealed under a key not configured (WAYLINE_SECRETS_PREVIOUS_KEYS)")
        }
        guard let combined = Data(base64Encoded: String(parts[1])) else { throw Failure(description: "the sealed secret is not base64") }
        let opened = try AES.GCM.open(try AES.GCM.SealedBox(combined: combined), using: key)
        return String(decoding: opened, as: UTF8.self)
    }

    /// Whether `stored` is sealed (else it was stored before secrets were).
    public static func isSealed(_ stored: String) -> Bool {
        stored.hasPrefix(prefix)
    }

    /// Whether `stored` is sealed under the current key (rotation leaves it be).
    public func isCurrent(_ stored: String) -> Bool {
        stored.hasPrefix(Self.prefix + currentID + ":")
    }
}
