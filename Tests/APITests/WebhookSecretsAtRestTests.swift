import Foundation
import PostgresNIO
import Storage
import Testing
import TestSupport
import Webhooks

/// Webhook secrets sealed at rest (AES-256-GCM), and their rotation.
@Suite(.timeLimit(.minutes(5))) struct WebhookSecretsAtRestTests {
    static let secret = "a-webhook-secret-to-keep"

    @Test func sealedSecretsOpenOnlyUnderTheirKeyAndUntouched() throws {
        let (a, b) = (WebhookSecretBox.newKey(), WebhookSecretBox.newKey())
        let box = try WebhookSecretBox(base64: a)
        let sealed = try box.seal(Self.secret)
        #expect(!sealed.contains(Self.secret) && WebhookSecretBox.isSealed(sealed) && box.isCurrent(sealed))
        #expect(try box.open(sealed) == Self.secret)
        #expect(try box.seal(Self.secret) != sealed, "a fresh nonce each time")
        // Another key opens nothing; with the first among its previous keys, it does.
        #expect(throws: WebhookSecretBox.Failure.self) { try WebhookSecretBox(base64: b).open(sealed) }
        let rotated = try WebhookSecretBox(base64: b, previous: [a])
        #expect(try rotated.open(sealed) == Self.secret && !rotated.isCurrent(sealed))
        // One flipped bit of the ciphertext, and GCM's tag refuses it.
        var bytes = Data(base64Encoded: String(sealed.split(separator: ":")[2]))!
        bytes[20] ^= 1
        let tampered = sealed.split(separator: ":")[0...1].joined(separator: ":") + ":" + bytes.base64EncodedString()
        #expect(throws: (any Error).self) { try box.open(tampered) }
        // Stored before sealing: read as it is.
        #expect(try box.open("plain-secret-from-before") == "plain-secret-from-before")
        #expect(throws: WebhookSecretBox.Failure.self) { try WebhookSecretBox(base64: "c2hvcnQ=") }
    }

    /// The table holds no secret, deliveries still sign with it, and a
    /// rotation seals every stored secret (one from before sealing too)
    /// under the new key, which alone then opens them.
    @Test func theTableHoldsNoSecretAndRotationResealsIt() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await TestApp.with { http, settings in
                let fence = #"{"circle": {"lat": 43.72, "lng": 7.42, "radius_m": 500}, "webhook": {"url": "\#(url)", "secret": "\#(Self.secret)"}}"#
                #expect(try await GeofenceAPITests.put(http, "sealed", fence).0 == .created)
                #expect(try await GeofenceAPITests.put(http, "older", fence).0 == .created)
                try await GeofenceWebhookTests.cross(http, UUID().uuidString.lowercased())
                let got = try await receiver.wait { $0.count >= 3 }
                #expect(got.count >= 3 && got.allSatisfy { WebhookReceiver.verifies($0, secret: Self.secret) })
                try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
                    let stored = try await client.rows("SELECT webhook_secret FROM geofences ORDER BY id").map { try $0.decode(String.self) }
                    #expect(stored.count == 2 && stored.allSatisfy { !$0.contains(Self.secret) && WebhookSecretBox.isSealed($0) })
                    #expect(try await client.value("SELECT count(*)::int FROM geofences WHERE definition::text LIKE '%' || \(Self.secret) || '%'", as: Int.self) == 0)
                    // As a fence stored before secrets were sealed.
                    try await client.run("UPDATE geofences SET webhook_secret = \(Self.secret) WHERE id = 'older'")
                    let next = WebhookSecretBox.newKey()
                    let box = try WebhookSecretBox(base64: next, previous: [TestApp.secretsKey])
                    #expect(try await WebhookSecretRotation.rotate(client: client, box: box) == 2)
                    #expect(try await WebhookSecretRotation.rotate(client: client, box: box) == 0)
                    let rotated = try await client.rows("SELECT webhook_secret FROM geofences").map { try $0.decode(String.self) }
                    let alone = try WebhookSecretBox(base64: next)
                    #expect(try rotated.map { try alone.open($0) } == [Self.secret, Self.secret])
                    #expect(rotated.allSatisfy { (try? WebhookSecretBox(base64: TestApp.secretsKey).open($0)) == nil })
                }
            }
        }
    }
}
