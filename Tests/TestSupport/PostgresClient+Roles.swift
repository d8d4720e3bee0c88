public import Foundation
public import PostgresNIO

extension PostgresClient {
    /// Runs `body` inside a transaction as one of the Supabase-style roles with
    /// `auth.uid()` returning `userID`, then rolls back: RLS applies exactly as
    /// it would to a PostgREST request, and nothing leaks to other tests.
    public func asRole<Result: Sendable>(
        _ role: String,
        userID: UUID? = nil,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            let logger = TestDatabase.logger
            _ = try await connection.query("BEGIN", logger: logger)
            do {
                _ = try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL ROLE \(role)"), logger: logger)
                _ = try await connection.query(
                    "SELECT set_config('request.jwt.claim.sub', \(userID?.uuidString ?? ""), true)", logger: logger
                )
                let result = try await body(connection)
                _ = try await connection.query("ROLLBACK", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }
}
