import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct QueueClaimTests {
    @Test func twoWorkersNeverClaimTheSameMessage() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                SELECT enqueue_message('dispatch', 'assign', jsonb_build_object('n', n), 1 + n % 10) FROM generate_series(1, 200) n
                """)
            let claims = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for worker in ["worker-a", "worker-b"] {
                    group.addTask {
                        var mine: [UUID] = []
                        while true {
                            let batch = try await client.rows("SELECT id FROM claim_messages('dispatch', \(worker), 7)")
                                .map { try $0.decode(UUID.self) }
                            if batch.isEmpty { return mine }
                            mine += batch
                        }
                    }
                }
                return try await group.reduce(into: [[UUID]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 200)
            #expect(Set(all).count == 200, "no message was claimed twice")
            #expect(try await client.value("SELECT count(*)::int FROM message_queue WHERE status = 'processing'", as: Int.self) == 200)
        }
    }

    @Test func claimsTakeTheMostUrgentDueMessagesFirst() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("SELECT enqueue_message('q', 'low', '{}', 9)")
            try await client.run("SELECT enqueue_message('q', 'urgent', '{}', 1)")
            try await client.run("SELECT enqueue_message('q', 'future', '{}', 1, now() + interval '1 hour')")
            try await client.run("SELECT enqueue_message('other', 'elsewhere', '{}', 1)")
            var order: [String] = []
            for _ in 0..<3 {
                order += try await client.rows("SELECT message_type FROM claim_messages('q', 'w', 1)").map { try $0.decode(String.self) }
            }
            #expect(order == ["urgent", "low"], "the future message is not due yet")
            let first = try await client.rows("SELECT message_type FROM claim_messages('other', 'w', 1)").map { try $0.decode(String.self) }
            #expect(first == ["elsewhere"])
        }
    }

    @Test func failuresRetryThenDeadLetter() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let id = try await client.value("SELECT enqueue_message('q', 'charge', '{}', 5, now(), 'charge-1')", as: UUID.self)
            #expect(try await client.value("SELECT enqueue_message('q', 'charge', '{}', 5, now(), 'charge-1')", as: UUID.self) == id)
            var statuses: [String] = []
            for _ in 0..<4 {
                try await client.run("UPDATE message_queue SET scheduled_at = now() WHERE id = \(id)")
                _ = try await client.rows("SELECT id FROM claim_messages('q', 'w', 1)")
                #expect(try await client.value("SELECT fail_message(\(id), 'someone-else', 'x') IS NULL", as: Bool.self))
                statuses.append(try await client.value("SELECT fail_message(\(id), 'w', 'card declined')", as: String.self))
            }
            #expect(statuses == ["pending", "pending", "pending", "dead_letter"])
            #expect(try await client.value("SELECT retry_count::int FROM message_queue WHERE id = \(id)", as: Int.self) == 4)
            #expect(try await client.rows("SELECT id FROM claim_messages('q', 'w', 1)").isEmpty, "dead letters are not claimed")
            let stats = try await client.rows("SELECT status, message_count::int FROM message_queue_stats WHERE queue_name = 'q'")
                .map { try $0.decode((String, Int).self) }
            #expect(stats.count == 1 && stats[0] == ("dead_letter", 1))
        }
    }

    @Test func expiredLeasesAreClaimableAgainAndCompletionNeedsTheLease() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let id = try await client.value("SELECT enqueue_message('q', 'm', '{}')", as: UUID.self)
            _ = try await client.rows("SELECT id FROM claim_messages('q', 'crashed-worker', 1, 30)")
            #expect(try await client.rows("SELECT id FROM claim_messages('q', 'w2', 1)").isEmpty, "the lease still holds")
            try await client.run("UPDATE message_queue SET lock_expires_at = now() - interval '1 second' WHERE id = \(id)")
            #expect(try await client.rows("SELECT id FROM claim_messages('q', 'w2', 1)").count == 1)
            #expect(try await client.value("SELECT complete_message(\(id), 'crashed-worker')", as: Bool.self) == false)
            #expect(try await client.value("SELECT complete_message(\(id), 'w2')", as: Bool.self))
        }
    }

    @Test func whatsappMessagesClaimSendAndDeadLetter() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let ok = try await client.value("SELECT enqueue_whatsapp_message('+250788000001', 'text', '{}', 1)", as: UUID.self)
            let bad = try await client.value("SELECT enqueue_whatsapp_message('+250788000002', 'text', '{}', 2)", as: UUID.self)
            try await client.run("UPDATE whatsapp_message_queue SET max_retries = 0 WHERE id = \(bad)")
            let claimed = try await client.rows("SELECT id FROM claim_whatsapp_messages('sender', 10)").map { try $0.decode(UUID.self) }
            #expect(Set(claimed) == [ok, bad])
            #expect(try await client.value("SELECT complete_whatsapp_message(\(ok), 'sender', 'wamid.1')", as: Bool.self))
            #expect(try await client.value("SELECT fail_whatsapp_message(\(bad), 'sender', 'blocked')", as: String.self) == "dead_letter")
            let stats = try await client.rows("SELECT status FROM whatsapp_queue_stats ORDER BY status").map { try $0.decode(String.self) }
            #expect(stats == ["dead_letter", "sent"])
        }
    }
}
