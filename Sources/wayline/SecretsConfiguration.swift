import Auth
import Foundation
import Logging
import Webhooks

/// The key that seals geofence webhook secrets at rest (docs/geofences.md):
/// `WAYLINE_SECRETS_KEY` (base64 of 32 bytes), else the embedded default's
/// key file `secrets-key` beside its JWT secret, made on first start; keys
/// retired by a rotation in `WAYLINE_SECRETS_PREVIOUS_KEYS` (comma-separated).
enum SecretsConfiguration {
    static func path(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("secrets-key").path
    }

    /// Nil when neither a key nor the embedded default is there: fences with a webhook are then refused.
    static func box(_ environment: Environment, embeddedDataDirectory: String?) throws -> WebhookSecretBox? {
        let previous = environment.value("WAYLINE_SECRETS_PREVIOUS_KEYS")?.split(separator: ",").map(String.init) ?? []
        let current: String
        if let key = environment.value("WAYLINE_SECRETS_KEY") {
            current = key
        } else if let directory = embeddedDataDirectory {
            current = try SecretFile.loadOrCreate(path: path(dataDirectory: directory), make: WebhookSecretBox.newKey)
        } else {
            return nil
        }
        do {
            return try WebhookSecretBox(base64: current, previous: previous)
        } catch {
            throw ConfigurationError("WAYLINE_SECRETS_KEY and WAYLINE_SECRETS_PREVIOUS_KEYS: \(error)")
        }
    }
}
