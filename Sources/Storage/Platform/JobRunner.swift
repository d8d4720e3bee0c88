import Foundation
public import Logging
public import PostgresNIO
public import ServiceLifecycle

/// A periodic job that must run once per period however many instances run.
public struct MaintenanceJob: Sendable {
    /// Its `job_type` in `background_jobs`.
    public let type: String
    public let period: Duration
    /// Runs on the pool the runner was given; returns a few figures for the job's `result`.
    public let work: @Sendable (PostgresClient) async throws -> [String: Int]

    public init(_ type: String, every period: Duration, work: @escaping @Sendable (PostgresClient) async throws -> [String: Int]) {
        self.type = type
        self.period = period
        self.work = work
    }
}

/// Runs `MaintenanceJob`s through the platform's `background_jobs` (seed 002)
/// so that with N instances each runs once per period: every instance
/// schedules each period's run with `schedule_job` under the idempotency key
/// `{type}:{period number}` (the first insert wins, the others find it), and
/// claims due runs with `claim_jobs` (`FOR UPDATE SKIP LOCKED`). A run that
/// throws goes back to `pending` with back-off (`fail_job`) and, after its
/// last attempt, stays `failed`: the dead letter, in `background_job_stats`.
/// Runs left `running` by an instance that died are retried once their
/// timeout passes (`expire_timed_out_jobs`).
public struct JobRunner: Service {
    private let client: PostgresClient
    private let jobs: [MaintenanceJob]
    private let workerID: String
    private let tick: Duration
    private let ready: @Sendable () async -> Bool
    private let logger: Logger

    /// - Parameters:
    ///   - client: a pool with the rights the jobs need (the tables' owner, for partitions).
    ///   - workerID: this instance, as `background_jobs.worker_id` names it.
    ///   - ready: waited for before the first round (the schema migrated); false ends the runner.
    public init(
        client: PostgresClient, jobs: [MaintenanceJob], workerID: String, tick: Duration = .seconds(5),
        ready: @escaping @Sendable () async -> Bool, logger: Logger
    ) {
        self.client = client
        self.jobs = jobs
        self.workerID = workerID
        self.tick = tick
        self.ready = ready
        self.logger = logger
    }

    public func run() async throws {
        guard await ready() else { return }
        await cancelWhenGracefulShutdown {
            repeat {
                do {
                    try await self.round()
                } catch {
                    self.logger.warnDatabaseFailure("background jobs round failed", error)
                }
            } while (try? await Task.sleep(for: self.tick)) != nil
        }
    }

    /// Schedules the current period of every job, then runs what is due.
    func round(now: Date = Date()) async throws {
        for job in jobs {
            let period = job.period.inSeconds
            let number = Int(now.timeIntervalSince1970 / period)
            _ = try await client.query("""
                SELECT schedule_job(\(job.type), \(job.type), '{}'::jsonb, to_timestamp(\(Double(number) * period)), 5, \("\(job.type):\(number)"))
                """).collect()
        }
        _ = try await client.query("SELECT expire_timed_out_jobs()").collect()
        let byType = Dictionary(jobs.map { ($0.type, $0) }, uniquingKeysWith: { a, _ in a })
        let claimed = try await client.query("""
            SELECT id, job_type FROM claim_jobs(\(workerID), \(jobs.map(\.type))::text[], \(jobs.count)::int)
            """).collect()
        for row in claimed {
            let (id, type) = try row.decode((UUID, String).self)
            guard let job = byType[type] else { continue }
            await execute(job, id: id)
        }
    }

    private func execute(_ job: MaintenanceJob, id: UUID) async {
        let started = ContinuousClock.now
        do {
            let figures = try await job.work(client)
            let result = String(decoding: try JSONEncoder().encode(figures), as: UTF8.self)
            _ = try await client.query("SELECT complete_job(\(id), \(result)::jsonb)").collect()
            JobMetrics.record(job.type, succeeded: true, since: started)
        } catch {
            JobMetrics.record(job.type, succeeded: false, since: started)
            logger.warnDatabaseFailure("background job \(job.type) failed", error)
            do {
                _ = try await client.query("SELECT fail_job(\(id), \(workerID), \(DatabaseErrorMessage.describe(error)))").collect()
            } catch {
                logger.warnDatabaseFailure("background job \(job.type) not marked failed", error)
            }
        }
    }
}
