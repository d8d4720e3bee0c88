import AsyncHTTPClient
import Foundation
public import Logging
import Metrics
import NIOCore
import NIOHTTP1
public import PostgresNIO
public import ServiceLifecycle
import Storage
import Synchronization

/// Delivers geofence events to their fences' webhooks: claims messages of
/// the `geofence_webhooks` queue (`claim_geofence_webhooks`, which keeps
/// each driver's events of a fence in order and lets workers of every
/// instance share the queue), POSTs each, signed (`WebhookSignature`), and
/// completes it on a 2xx answer. Anything else is a failed attempt:
/// `fail_message` schedules a retry with exponential back-off (1 s, 2 s,
/// 4 s, …) and dead-letters the message after its last attempt, where
/// `message_queue_stats` shows it. Delivery is at least once: a receiver
/// drops repeats by `event_id`.
public final class GeofenceDelivery: Service, Sendable {
    private let client: PostgresClient
    private let http: HTTPClient
    private let configuration: HTTPClient.Configuration
    private let policy: WebhookPolicy
    private let secrets: WebhookSecretBox?
    private let worker: String
    private let logger: Logger
    private let attemptTimeout: TimeAmount
    /// Returns once the schema is migrated (the claim function may not exist before).
    private let ready: @Sendable () async -> Void
    /// The poll's pause, in milliseconds: `busyPause` after a claim found work, doubling to `idlePause` after empty ones.
    private let pauseMilliseconds = Atomic<Int>(GeofenceDelivery.busyPause)
    private static let busyPause = 250
    private static let idlePause = 2_000
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation
    private let delivered = Counter(label: "wayline_geofence_webhooks_total", dimensions: [("outcome", "delivered")])
    private let failed = Counter(label: "wayline_geofence_webhooks_total", dimensions: [("outcome", "failed")])

    /// - Parameters:
    ///   - worker: this instance's name in `claimed_by`.
    ///   - attemptTimeout: how long one POST may take before it counts as failed.
    public init(
        client: PostgresClient, worker: String, policy: WebhookPolicy = WebhookPolicy(), secrets: WebhookSecretBox? = nil,
        attemptTimeout: Duration = .seconds(5),
        ready: @escaping @Sendable () async -> Void = {}, logger: Logger
    ) {
        self.policy = policy
        self.secrets = secrets
        self.client = client
        self.ready = ready
        self.worker = worker
        self.logger = logger
        self.attemptTimeout = TimeAmount(attemptTimeout)
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow  // a webhook answers; it does not send the event elsewhere
        configuration.timeout = .init(connect: .seconds(2), read: self.attemptTimeout)
        self.configuration = configuration
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        (wakeups, wakeup) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Something was queued: claim now rather than at the next poll.
    public func wake() {
        wakeup.yield()
    }

    public func run() async throws {
        await ready()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                // Wakes the loop for other instances' messages and retries:
                // every quarter second while there is work, backing off to
                // every two seconds while claims come back empty (this
                // instance's own writes wake it at once, through `wake`).
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(self.pauseMilliseconds.load(ordering: .relaxed)))
                        self.wakeup.yield()
                    }
                }
                group.addTask {
                    for await _ in self.wakeups {
                        var claimed = 0
                        repeat {
                            claimed = await self.deliverBatch()
                            let pause = self.pauseMilliseconds.load(ordering: .relaxed)
                            self.pauseMilliseconds.store(claimed > 0 ? Self.busyPause : min(pause * 2, Self.idlePause), ordering: .relaxed)
                        } while claimed > 0 && !Task.isCancelled
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        wakeup.finish()
        try? await http.shutdown()
    }

    /// Messages claimed at once: a claim and a completion are a statement
    /// each, whatever their size, and under load the database's time per
    /// statement, not per message, is what delays delivery.
    static let batchSize = 128

    /// Claims and delivers one batch; returns how many were claimed.
    private func deliverBatch() async -> Int {
        let claimed: [(UUID, String, String, String)]
        do {
            var rows: [(UUID, String, String, String)] = []
            let lease = Int(attemptTimeout.nanoseconds / 1_000_000_000) * 2 + 5
            let query: PostgresQuery = """
                SELECT id, payload::text, webhook_url, webhook_secret FROM claim_geofence_webhooks(\(worker), \(Self.batchSize)::int, \(lease)::int)
                """
            for try await row in try await client.query(query).decode((UUID, String, String, String).self) { rows.append(row) }
            claimed = rows
        } catch {
            logger.warnDatabaseFailure("could not claim geofence webhooks", error)
            return 0
        }
        // Each POST in parallel; then the delivered ones completed in one statement.
        let outcomes = await withTaskGroup(of: (UUID, String?).self) { group in
            for (id, payload, url, secret) in claimed {
                group.addTask { (id, await self.post(payload: payload, url: url, secret: secret)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        do {
            let done = outcomes.filter { $0.1 == nil }.map(\.0)
            delivered.increment(by: done.count)
            if !done.isEmpty { _ = try await client.query("SELECT complete_messages(\(done)::uuid[], \(worker))").collect() }
            for case (let id, let failure?) in outcomes {
                failed.increment()
                _ = try await client.query("SELECT fail_message(\(id), \(worker), \(failure))").collect()
            }
        } catch {
            // The lease runs out and the messages are claimed again: delivered at least once.
            logger.warnDatabaseFailure("could not record geofence webhooks' outcomes", error)
        }
        return claimed.count
    }

    /// POSTs one event; nil when the receiver took it (2xx), else why not.
    /// The destination is checked again, and a host name is connected to at
    /// the address checked (`WebhookPolicy`).
    private func post(payload: String, url: String, secret sealed: String) async -> String? {
        let secret: String
        do {
            if let secrets {
                secret = try secrets.open(sealed)
            } else if WebhookSecretBox.isSealed(sealed) {
                return "no key opens the webhook's secret (WAYLINE_SECRETS_KEY)"
            } else {
                secret = sealed
            }
        } catch {
            return "the secret cannot be opened: \(error)"
        }
        let address: String
        switch await policy.check(url) {
        case .failure(let refusal): return "the destination is refused: \(refusal.reason)"
        case .success(nil): return "the host did not resolve"
        case .success(let checked?): address = checked
        }
        let host = URLComponents(string: url)?.host ?? ""
        // A name gets a client of its own that connects to the checked address (TLS still checks the name).
        let pinned = IPAddress(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) == nil
            ? HTTPClient(eventLoopGroupProvider: .singleton, configuration: { var c = configuration; c.dnsOverride = [host: address]; return c }())
            : nil
        defer { if let pinned { Task { try? await pinned.shutdown() } } }
        let body = Array(payload.utf8)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Wayline-Webhooks")
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.value(body: body, secret: secret, at: Date()))
        request.body = .bytes(body)
        do {
            let response = try await (pinned ?? http).execute(request, timeout: attemptTimeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(response.status.code) ? nil : "the receiver answered HTTP \(response.status.code)"
        } catch {
            // The error's kind only: a URL's query could hold what its owner did not mean to log.
            return "the request failed: \(String(describing: type(of: error))) \(Self.reason(error))"
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        if let error = error as? IOError { return "\(error.errnoCode)" }
        return ""
    }
}
