import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct EventStoreSchemaTests {
    @Test func concurrentAppendsGetConsecutiveVersions() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await client.run("SELECT append_event('trip-123', 'trip', 'location_updated', \("{\"n\": \(index)}")::jsonb, 'corr-1')")
                    }
                }
                try await group.waitForAll()
            }
            let versions = try await client.rows("SELECT version::int FROM get_aggregate_events('trip', 'trip-123')")
                .map { try $0.decode(Int.self) }
            #expect(versions == Array(1...40))
            let page = try await client.rows("SELECT version::int FROM get_aggregate_events('trip', 'trip-123', 5, 10)")
                .map { try $0.decode(Int.self) }
            #expect(page == [11, 12, 13, 14, 15])
        }
    }

    @Test func replayRebuildsStateAndExpectedVersionGuardsWrites() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("SELECT append_event('trip-9', 'trip', 'trip_requested', '{\"fare\": 10}', NULL, '{}', NULL, 0)")
            try await client.run("SELECT append_event('trip-9', 'trip', 'driver_accepted', '{\"driver\": \"d1\"}', 'c', '{}', 'cause-1', 1)")
            await #expect(throws: PSQLError.self) {
                try await client.run("SELECT append_event('trip-9', 'trip', 'trip_started', '{}', NULL, '{}', NULL, 1)")
            }
            let events = try await client.rows("SELECT event_type, payload::text FROM get_aggregate_events('trip', 'trip-9')")
                .map { try $0.decode((String, String).self) }
            #expect(events.map(\.0) == ["trip_requested", "driver_accepted"])
            #expect(try await client.value("SELECT current_version::int FROM event_streams WHERE aggregate_id = 'trip-9'", as: Int.self) == 2)
            // A different aggregate has its own numbering.
            try await client.run("SELECT append_event('wallet-1', 'wallet', 'credited', '{}')")
            let stats = try await client.rows("SELECT aggregate_type, event_count::int, aggregate_count::int FROM event_store_stats ORDER BY 1, 2")
                .map { try $0.decode((String, Int, Int).self) }
            #expect(stats.count == 3)
            #expect(stats.contains { $0 == ("wallet", 1, 1) })
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct JobSchemaTests {
    @Test func scheduleClaimCompleteAndStats() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let job = try await client.value("SELECT schedule_job('reindex', 'nightly', '{\"table\": \"routes\"}', now(), 3, 'reindex-1')", as: UUID.self)
            #expect(try await client.value("SELECT schedule_job('reindex', 'again', '{}', now(), 3, 'reindex-1')", as: UUID.self) == job)
            try await client.run("SELECT schedule_job('later', NULL, '{}', now() + interval '1 hour')")
            #expect(try await client.value("SELECT complete_job(\(job), '{}')", as: Bool.self) == false, "a pending job cannot complete")

            let claimed = try await client.rows("SELECT id FROM claim_jobs('worker-1', NULL, 10)").map { try $0.decode(UUID.self) }
            #expect(claimed == [job], "the future job is not due")
            #expect(try await client.value("SELECT complete_job(\(job), '{\"rows\": 42}')", as: Bool.self))
            #expect(try await client.value("SELECT complete_job(\(job), '{}')", as: Bool.self) == false)
            #expect(try await client.value("SELECT (result->>'rows')::int FROM background_jobs WHERE id = \(job)", as: Int.self) == 42)
            let stats = try await client.rows("SELECT job_type, status, job_count::int FROM background_job_stats ORDER BY 1")
                .map { try $0.decode((String, String, Int).self) }
            #expect(stats.count == 2 && stats[0] == ("later", "pending", 1) && stats[1] == ("reindex", "completed", 1))
        }
    }

    @Test func failedAttemptsRetryWithBackoffThenFail() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let job = try await client.value("SELECT schedule_job('geocode')", as: UUID.self)
            for attempt in 1...3 {
                try await client.run("UPDATE background_jobs SET scheduled_at = now() WHERE id = \(job)")
                let claimed = try await client.rows("SELECT attempts::int FROM claim_jobs('w', ARRAY['geocode'])").map { try $0.decode(Int.self) }
                #expect(claimed == [attempt])
                let status = try await client.value("SELECT fail_job(\(job), 'w', 'provider down')", as: String.self)
                #expect(status == (attempt < 3 ? "pending" : "failed"))
            }
            #expect(try await client.value("SELECT scheduled_at > now() FROM background_jobs WHERE id = \(job)", as: Bool.self) == false)
            #expect(try await client.value("SELECT last_error FROM background_jobs WHERE id = \(job)", as: String.self) == "provider down")
        }
    }

    @Test func timedOutJobsAreRetriedThenMarked() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let job = try await client.value("SELECT schedule_job('slow')", as: UUID.self)
            try await client.run("UPDATE background_jobs SET max_attempts = 1, timeout_seconds = 1 WHERE id = \(job)")
            _ = try await client.rows("SELECT * FROM claim_jobs('w')")
            try await client.run("UPDATE background_jobs SET started_at = now() - interval '1 minute' WHERE id = \(job)")
            #expect(try await client.value("SELECT expire_timed_out_jobs()", as: Int.self) == 1)
            #expect(try await client.value("SELECT status FROM background_jobs WHERE id = \(job)", as: String.self) == "timeout")
        }
    }
}
