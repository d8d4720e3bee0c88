public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// Wayline's own switches, read from the platform's feature flags
/// (`is_feature_enabled`, seed 002): evaluated for the whole instance every
/// `interval` and held in memory, so a request reads an atomic, never the
/// database. A flag that does not exist is off, so every switch is named for
/// what turning it on changes. Until the first evaluation, and while the
/// database is away, each switch keeps its last value (off at start).
public final class FeatureFlags: Service, Sendable {
    /// The switches Wayline reads.
    public enum Switch: String, CaseIterable, Sendable {
        /// Nearby of `current` drivers from PostGIS instead of the live index:
        /// the kill switch for the index, should it ever answer wrongly.
        case nearbyFromPostGIS = "wayline.nearby.postgis"
        /// Route legs neither read from nor written to the `routes` table:
        /// every miss in memory is computed.
        case routesWithoutTable = "wayline.routes.without_table"
    }

    private let client: PostgresClient
    private let environment: String
    private let interval: Duration
    private let logger: Logger
    /// Returns once the schema is migrated (`is_feature_enabled` may not exist before).
    private let ready: @Sendable () async -> Void
    /// One bit per switch, in `Switch.allCases` order: nearby reads it on every request.
    private let bits = Atomic<UInt64>(0)

    /// - Parameter environment: the `p_environment` of the evaluations (`WAYLINE_ENVIRONMENT`).
    public init(
        client: PostgresClient, environment: String = "production", interval: Duration = .seconds(5),
        ready: @escaping @Sendable () async -> Void = {}, logger: Logger
    ) {
        self.client = client
        self.ready = ready
        self.environment = environment
        self.interval = interval
        self.logger = logger
    }

    public func isOn(_ flag: Switch) -> Bool {
        bits.load(ordering: .relaxed) & Self.bit(flag) != 0
    }

    private static func bit(_ flag: Switch) -> UInt64 {
        1 << UInt64(Switch.allCases.firstIndex(of: flag)!)
    }

    public func run() async throws {
        await ready()
        await cancelWhenGracefulShutdown {
            repeat {
                await self.refresh()
            } while (try? await Task.sleep(for: self.interval)) != nil
        }
    }

    /// Evaluates every switch once (one statement for all).
    public func refresh() async {
        do {
            let keys = Switch.allCases.map(\.rawValue)
            let rows = try await client.query("""
                SELECT k, is_feature_enabled(k, NULL, \(environment)) FROM unnest(\(keys)::text[]) AS k
                """)
            var found: UInt64 = 0
            for try await (key, on) in rows.decode((String, Bool).self) where on {
                if let flag = Switch(rawValue: key) { found |= Self.bit(flag) }
            }
            let before = bits.exchange(found, ordering: .relaxed)
            for flag in Switch.allCases where (before ^ found) & Self.bit(flag) != 0 {
                logger.info("feature flag changed", metadata: ["flag": "\(flag.rawValue)", "on": "\(isOn(flag))"])
            }
        } catch {
            logger.warnDatabaseFailure("feature flags not refreshed", error)
        }
    }
}
