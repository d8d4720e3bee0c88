public import PostgresNIO

/// Seals stored webhook secrets again under the current key.
public enum WebhookSecretRotation {
    /// Every fence's secret not sealed under `box`'s current key, opened and
    /// sealed again; returns how many. Each row is replaced only if it still
    /// holds what was read, so a fence written meanwhile keeps its new secret.
    /// Throws, changing nothing more, at a secret no configured key opens.
    public static func rotate(client: PostgresClient, box: WebhookSecretBox) async throws -> Int {
        var stale: [(Int64, String)] = []
        for try await (key, stored) in try await client.query(
            "SELECT key, webhook_secret FROM geofences WHERE webhook_secret IS NOT NULL ORDER BY key"
        ).decode((Int64, String).self) where !box.isCurrent(stored) {
            stale.append((key, stored))
        }
        var resealed = 0
        for (key, stored) in stale {
            let sealed = try box.seal(try box.open(stored))
            let rows = try await client.query(
                "UPDATE geofences SET webhook_secret = \(sealed) WHERE key = \(key) AND webhook_secret = \(stored) RETURNING key"
            ).collect()
            resealed += rows.count
        }
        return resealed
    }
}
