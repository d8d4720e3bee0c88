import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization

/// A webhook receiver on loopback for the tests: records what it is sent,
/// and answers 200, or 503 while `failing`.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        let signature: String
        let body: String

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
    }

    let deliveries = Mutex<[Delivery]>([])
    let failing = Atomic(false)

    var received: [Delivery] { deliveries.withLock { $0 } }

    /// Runs `body` with the receiver listening; its argument is the webhook URL.
    func run(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let delivery = Delivery(signature: request.headers[HTTPField.Name("X-Wayline-Signature")!] ?? "", body: String(buffer: buffer))
            self.deliveries.withLock { $0.append(delivery) }
            return self.failing.load(ordering: .relaxed) ? .serviceUnavailable : .ok
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook")
        }
    }

    /// Waits until `done` holds of what was received, or 10 s pass.
    func wait(until done: ([Delivery]) -> Bool) async throws -> [Delivery] {
        for _ in 0..<200 {
            let now = received
            if done(now) { return now }
            try await Task.sleep(for: .milliseconds(50))
        }
        return received
    }

    /// Whether `signature` (`t=…,v1=…`) is the HMAC-SHA256 of `t.body` under `secret`, recomputed here.
    static func verifies(_ delivery: Delivery, secret: String) -> Bool {
        let parts = Dictionary(uniqueKeysWithValues: delivery.signature.split(separator: ",").compactMap { part -> (String, String)? in
            let pair = part.split(separator: "=", maxSplits: 1)
            return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
        })
        guard let time = parts["t"], let code = parts["v1"] else { return false }
        let expected = HMAC<SHA256>.authenticationCode(for: Data((time + "." + delivery.body).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return code == expected.map { String(format: "%02x", $0) }.joined()
    }
}
