import Foundation
import Logging
public import PostgresNIO

extension PostgresClient {
    /// Runs `body` on one connection: directly for `.service`, or for a user
    /// inside a transaction that has `SET LOCAL ROLE authenticated` and the
    /// `request.jwt.claim.sub` setting `auth.uid()` reads (both end with it,
    /// so the connection goes back to the pool as it came).
    public func withReadIdentity<Result: Sendable>(
        _ identity: ReadIdentity, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        guard case .user(let userID) = identity else {
            return try await withConnection { try await body($0) }
        }
        return try await withTransactionClosedOnFailure(logger: logger) { connection in
            try await connection.query("SET LOCAL ROLE authenticated", logger: logger)
            try await connection.query("SELECT set_config('request.jwt.claim.sub', \(userID.uuidString), true)", logger: logger)
            return try await body(connection)
        }
    }
}
