import Foundation
import Logging
import PostgresNIO
import Storage
import Synchronization
import Testing
import TestSupport

/// Periodic jobs through `background_jobs`: with two instances each period's
/// run happens once, and a run that keeps failing is retried with back-off
/// and then left `failed` (the dead letter).
@Suite(.timeLimit(.minutes(5))) struct JobRunnerTests {
    private struct Refused: Error {}

    @Test func twoRunnersRunEachPeriodOnceAndFailuresEndInDeadLetter() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let runs = Runs()
            let jobs = [
                MaintenanceJob("test.count", every: .seconds(1)) { _ in
                    runs.add()
                    return ["ran": 1]
                },
                MaintenanceJob("test.fail", every: .seconds(3_600)) { _ in throw Refused() },
            ]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in ["instance-a", "instance-b"] {
                    group.addTask {
                        try await JobRunner(client: client, jobs: jobs, workerID: worker, tick: .milliseconds(100), ready: { true }, logger: TestDatabase.logger).run()
                    }
                }
                try await Task.sleep(for: .milliseconds(5_500))
                group.cancelAll()
            }
            let counted = try await client.query("""
                SELECT count(*)::int, count(DISTINCT idempotency_key)::int, count(DISTINCT worker_id)::int
                FROM background_jobs WHERE job_type = 'test.count' AND status = 'completed'
                """).collect().first?.decode((Int, Int, Int).self)
            let (completed, periods, workers) = try #require(counted)
            // Five or six periods passed; each ran once, whichever instance claimed it.
            #expect(completed == periods && completed == runs.count && (5...7).contains(completed), "\(completed) runs, \(periods) periods, \(runs.count) executions")
            #expect(workers >= 1)
            let failed = try await client.query("""
                SELECT status, attempts, last_error IS NOT NULL FROM background_jobs WHERE job_type = 'test.fail'
                """).collect().map { try $0.decode((String, Int, Bool).self) }
            #expect(failed.count == 1 && failed.first?.0 == "failed" && failed.first?.1 == 3 && failed.first?.2 == true, "\(failed)")
            let stats = try await client.query("SELECT job_count::int FROM background_job_stats WHERE job_type = 'test.fail' AND status = 'failed'")
                .collect().first?.decode(Int.self)
            #expect(stats == 1)
        }
    }
}

private final class Runs: Sendable {
    private let value = Atomic(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

/// The housekeeping statements the maintenance jobs run, against the real schema.
@Suite(.timeLimit(.minutes(5))) struct PlatformMaintenanceTests {
    @Test func housekeepingRunsAndOldPartitionsAreDetached() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            _ = try await PlatformMaintenance.ensurePartitions(client)
            // Three months ahead exist afterwards, whatever existed before.
            let ahead = try await client.query("""
                SELECT count(*)::int FROM pg_class WHERE relname ~ ('_' || to_char(date_trunc('month', now()) + interval '3 months', 'YYYY_MM') || '$')
                """).collect().first?.decode(Int.self)
            #expect((ahead ?? 0) >= 1)
            #expect(try await PlatformMaintenance.deleteExpiredRoutes(client) >= 0)
            #expect(try await PlatformMaintenance.cleanupWhatsAppSessions(client) >= 0)
            #expect(try await PlatformMaintenance.cleanupPerformanceData(client) >= 0)

            func attachedPast() async throws -> Int {
                try await client.query("""
                    SELECT count(*)::int FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE c.relname ~ '_[0-9]{4}_[0-9]{2}$' AND to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month' <= now()
                    """).collect().first?.decode(Int.self) ?? -1
            }
            // A month in the past, attached: the archive job detaches it and keeps its table.
            _ = try await client.query("SELECT create_monthly_partitions('system_metrics'::regclass, 0, (now() - interval '2 months')::date)").collect()
            let before = try await attachedPast()
            #expect(before >= 1)
            #expect(try await PlatformMaintenance.detachPartitions(client, olderThanDays: 0) == before)
            #expect(try await attachedPast() == 0)
            let kept = try await client.query("""
                SELECT count(*)::int FROM pg_class WHERE relname = 'system_metrics_' || to_char(now() - interval '2 months', 'YYYY_MM')
                """).collect().first?.decode(Int.self)
            #expect(kept == 1)
        }
    }
}
