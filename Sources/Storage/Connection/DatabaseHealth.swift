import Foundation
public import Logging
import NIOCore
public import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// Whether the database serves this instance's pool, as last found: a probe
/// (`SELECT 1` through the pool, bounded by half a second) every half second
/// while it does, every quarter second while it does not, and at once, with
/// a shorter bound, when a
/// request meets a connection failure. Requests read it to fail fast while the database is away, rather
/// than queue for a connection the pool cannot open; `/ready` reports it.
///
/// A pool probe that fails while the database was up is confirmed on a
/// connection of its own: a pool too busy to lend a connection within the
/// bound is not a lost database, and shedding every request then (as a
/// saturated pool under W5 at ten times the dataset once did) would turn
/// load into an outage. Recovery is still judged through the pool, since
/// the pool, not a fresh connection, is what requests will use.
public final class DatabaseHealth: Service, Sendable {
    private let client: PostgresClient
    /// Where to open the confirming connection; without it a failed pool probe is final.
    private let confirmation: DatabaseSettings?
    private let logger: Logger
    private let up = Atomic(true)
    /// What the last failed probe met, for `/ready`.
    private let reason = Mutex<String?>(nil)
    /// Set by a request that met a connection failure; the probe loop looks every tenth of a second.
    private let nudged = Atomic(false)
    /// The last probe found the pool busy but the database answering; said once per spell.
    private let busy = Atomic(false)

    public init(client: PostgresClient, confirmingWith confirmation: DatabaseSettings? = nil, logger: Logger) {
        self.client = client
        self.confirmation = confirmation
        self.logger = logger
    }

    public var isUp: Bool { up.load(ordering: .relaxed) }

    /// Why the database is found down, or nil when it answers.
    public var downReason: String? { isUp ? nil : reason.withLock { $0 } ?? "database unreachable" }

    /// A request met `error`: when it says the connection failed, probe now.
    public func report(_ error: any Error) {
        // A lease the request gave up (its deadline passed) says the pool is
        // busy, not that the database is gone.
        guard Self.isConnectionFailure(error), !String(describing: error).contains("requestCancelled") else { return }
        nudge()
    }

    /// Something suggests the database is away: probe now.
    public func nudge() {
        nudged.store(true, ordering: .relaxed)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var sinceProbe = Duration.seconds(3_600)  // the first probe at once
            while !Task.isCancelled {
                // Half a second and half a second: a lost database shows on
                // /ready within about a second (a second and a second let
                // /ready answer 200 two seconds after PostgreSQL died).
                let pause: Duration = self.isUp ? .milliseconds(500) : .milliseconds(250)
                let nudged = self.nudged.exchange(false, ordering: .relaxed)
                if sinceProbe >= pause || nudged {
                    // Just after a connection failed, a pool that cannot hand
                    // out a connection within a quarter second has lost the
                    // database: /ready then says so within the second.
                    await self.probe(timeout: nudged ? .milliseconds(250) : .milliseconds(500))
                    sinceProbe = .zero
                }
                try? await Task.sleep(for: .milliseconds(100))
                sinceProbe += .milliseconds(100)
            }
        }
    }

    private func probe(timeout: Duration) async {
        do {
            try await DatabaseProbe.check(client, timeout: timeout)
            busy.store(false, ordering: .relaxed)
            if !up.exchange(true, ordering: .relaxed) {
                logger.info("database reachable again")
            }
        } catch {
            if isUp, let confirmation, (try? await DatabaseProbe.connect(confirmation, timeout: timeout, logger: logger)) != nil {
                if !busy.exchange(true, ordering: .relaxed) {
                    logger.warning("the pool lent no connection within the probe's bound, but the database answers: busy, not down")
                }
                return
            }
            reason.withLock { $0 = "database unreachable: \(error.reason)" }
            if up.exchange(false, ordering: .relaxed) {
                logger.error("database unreachable", metadata: ["reason": "\(error.reason)"])
            }
        }
    }

    /// Errors that say the database (or the way to it) is gone, as opposed to
    /// one statement's failure: the pool's own errors (its type is not
    /// exported by PostgresNIO, so it is known by name), network errors,
    /// closed connections, and the server's connection-exception (08) and
    /// operator-intervention (57: shutdown, crash) classes.
    public static func isConnectionFailure(_ error: any Error) -> Bool {
        if error is DatabaseUnavailable || error is ChannelError || error is IOError { return true }
        if String(describing: type(of: error)) == "ConnectionPoolError" { return true }
        guard let error = error as? PSQLError else { return false }
        if let state = error.serverInfo?[.sqlState] { return state.hasPrefix("08") || state.hasPrefix("57") }
        return [.connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed].contains(error.code)
    }
}
