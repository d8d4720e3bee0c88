import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct WhatsAppSchemaTests {
    @Test func activityOpensCountsAndRevivesSessions() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let first = try await client.value("SELECT update_whatsapp_session_activity('+250788123456')", as: UUID.self)
            let second = try await client.value("SELECT update_whatsapp_session_activity('+250788123456')", as: UUID.self)
            try await client.run("SELECT update_whatsapp_session_activity('+250788123456', false)")
            #expect(first == second)
            #expect(try await client.value("SELECT message_count::int FROM whatsapp_sessions", as: Int.self) == 2)

            try await client.run("UPDATE whatsapp_sessions SET expires_at = now() - interval '1 minute'")
            try await client.run("SELECT update_whatsapp_session_activity('+250788000001')")
            #expect(try await client.value("SELECT cleanup_expired_whatsapp_sessions()", as: Int.self) == 1)
            #expect(try await client.value("SELECT status FROM whatsapp_sessions WHERE phone_number = '+250788123456'", as: String.self) == "expired")

            try await client.run("SELECT update_whatsapp_session_activity('+250788123456')")
            #expect(try await client.value("SELECT status FROM whatsapp_sessions WHERE phone_number = '+250788123456'", as: String.self) == "active")

            let stats = try await client.rows("SELECT status, session_count::int, total_messages::int FROM whatsapp_session_stats ORDER BY status")
                .map { try $0.decode((String, Int, Int).self) }
            #expect(stats.count == 1 && stats[0] == ("active", 2, 4))
            await #expect(throws: PSQLError.self) { try await client.run("SELECT update_whatsapp_session_activity('0788')") }
        }
    }

    @Test func enqueuedMessagesLinkSessionsAndShowInStats() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let session = try await client.value("SELECT update_whatsapp_session_activity('+250788123456')", as: UUID.self)
            let message = try await client.value("""
                SELECT enqueue_whatsapp_message('+250788123456', 'text', '{"body": "Your driver is here"}', 2, 'corr-7')
                """, as: UUID.self)
            try await client.run("SELECT enqueue_whatsapp_message('+250788999999', 'template', '{}', 5, NULL, now() + interval '1 hour')")
            let row = try await client.rows("SELECT session_id, priority::int, correlation_id FROM whatsapp_message_queue WHERE id = \(message)")[0]
            let (linked, priority, correlation) = try row.decode((UUID?, Int, String).self)
            #expect(linked == session && priority == 2 && correlation == "corr-7")
            let stats = try await client.rows("SELECT status, message_count::int, urgent_count::int FROM whatsapp_queue_stats")
                .map { try $0.decode((String, Int, Int).self) }
            #expect(stats.count == 1 && stats[0] == ("pending", 2, 1))
            await #expect(throws: PSQLError.self) { try await client.run("SELECT enqueue_whatsapp_message('+250788123456', 'fax', '{}')") }
            await #expect(throws: PSQLError.self) { try await client.run("SELECT enqueue_whatsapp_message('+250788123456', 'text', '{}', 11)") }
        }
    }
}
