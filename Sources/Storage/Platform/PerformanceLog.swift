public import Foundation
public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// Seed 000's logs of what takes time: Wayline's database statements slower
/// than a threshold (`query_performance_log`) and one cache operation in
/// `cacheSampleEvery` (`cache_performance_log`). Callers only append to
/// memory, never wait for the database; `run()` writes what gathered every
/// few seconds, one statement per table. At most `capacity` entries wait:
/// while the database is away, newer ones are dropped, not memory grown.
public final class PerformanceLog: Service, Sendable {
    public struct Settings: Sendable {
        /// Statements that took at least this long are logged; nil logs none.
        public var slowStatement: Duration? = .milliseconds(200)
        /// One cache operation in this many is logged; 0 logs none.
        public var cacheSampleEvery = 100
        public var flushInterval: Duration = .seconds(5)
        public var capacity = 10_000

        public init() {}
        /// Logs nothing: for code run without a service around it.
        public static let off: Settings = {
            var settings = Settings()
            settings.slowStatement = nil
            settings.cacheSampleEvery = 0
            return settings
        }()
    }

    /// `cache_performance_log.operation`.
    public enum CacheOperation: String, Sendable {
        case hit = "HIT", miss = "MISS", set = "SET", delete = "DELETE"
    }

    struct Statement: Sendable {
        let signature: String
        let table: String
        let milliseconds: Double
    }

    struct CacheEntry: Sendable {
        let key: String
        let operation: CacheOperation
        let milliseconds: Double
        let bytes: Int?
        let ttlSeconds: Int?
    }

    private struct Pending {
        var statements: [Statement] = []
        var cache: [CacheEntry] = []
        var dropped = 0
    }

    public let settings: Settings
    private let client: PostgresClient?
    private let logger: Logger
    private let pending = Mutex(Pending())
    private let cacheOperations = Atomic<Int>(0)

    /// - Parameter client: where `run()` writes; nil for a log that keeps nothing.
    public init(client: PostgresClient?, settings: Settings, logger: Logger) {
        self.client = client
        self.settings = client == nil ? .off : settings
        self.logger = logger
    }

    /// A log that keeps nothing.
    public static let off = PerformanceLog(client: nil, settings: .off, logger: Logger(label: "wayline.performance"))

    /// Runs `body`, a statement (or a few) on `table`, and logs it if it was slow.
    public func timed<Result>(_ signature: String, table: String, _ body: () async throws -> Result) async rethrows -> Result {
        guard let threshold = settings.slowStatement else { return try await body() }
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            if elapsed >= threshold {
                append { $0.statements.append(Statement(signature: signature, table: table, milliseconds: elapsed.inMilliseconds)) }
            }
        }
        return try await body()
    }

    /// Whether to time this cache operation: true once in `cacheSampleEvery`.
    public func samplesCacheOperation() -> Bool {
        let every = settings.cacheSampleEvery
        guard every > 0 else { return false }
        return cacheOperations.wrappingAdd(1, ordering: .relaxed).oldValue % every == 0
    }

    /// Logs a sampled cache operation that began at `start`.
    public func cacheOperation(_ operation: CacheOperation, key: String, since start: ContinuousClock.Instant, bytes: Int? = nil, ttlSeconds: Int? = nil) {
        let entry = CacheEntry(key: key, operation: operation, milliseconds: (ContinuousClock.now - start).inMilliseconds, bytes: bytes, ttlSeconds: ttlSeconds)
        append { $0.cache.append(entry) }
    }

    private func append(_ add: (inout Pending) -> Void) {
        pending.withLock { pending in
            guard pending.statements.count + pending.cache.count < settings.capacity else {
                pending.dropped += 1
                return
            }
            add(&pending)
        }
    }

    public func run() async throws {
        guard client != nil else { return }
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: self.settings.flushInterval)) != nil {
                await self.flush()
            }
        }
        // What gathered since the last flush, on the way out.
        await flush()
    }

    /// Writes what gathered; on failure it is dropped (a log, not data).
    public func flush() async {
        guard let client else { return }
        let taken = pending.withLock { pending in
            defer { pending = Pending() }
            return pending
        }
        guard !taken.statements.isEmpty || !taken.cache.isEmpty || taken.dropped > 0 else { return }
        if taken.dropped > 0 {
            logger.warning("performance log entries dropped while the database did not take them", metadata: ["count": "\(taken.dropped)"])
        }
        do {
            try await abandoning(after: .seconds(5)) {
                try await Self.write(taken, client: client)
            }
        } catch {
            logger.warnDatabaseFailure("performance log not written", error)
        }
    }

    private static func write(_ taken: Pending, client: PostgresClient) async throws {
        let statements = taken.statements
        if !statements.isEmpty {
            // The hash groups executions of one statement, as the seed's index on it expects.
            _ = try await client.query("""
                INSERT INTO query_performance_log (query_hash, query_signature, execution_time_ms, table_name)
                SELECT md5(s), s, t, n FROM unnest(\(statements.map(\.signature))::text[], \(statements.map(\.milliseconds))::float8[],
                                                    \(statements.map(\.table))::text[]) AS x(s, t, n)
                """).collect()
        }
        let cache = taken.cache
        if !cache.isEmpty {
            _ = try await client.query("""
                INSERT INTO cache_performance_log (cache_key, operation, operation_time_ms, cache_size_bytes, ttl_seconds)
                SELECT * FROM unnest(\(cache.map(\.key))::text[], \(cache.map(\.operation.rawValue))::text[], \(cache.map(\.milliseconds))::float8[],
                                     \(NullableArray(cache.map(\.bytes)))::int[], \(NullableArray(cache.map(\.ttlSeconds)))::int[])
                """).collect()
        }
    }
}
