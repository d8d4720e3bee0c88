public import PostgresNIO

extension PostgresClient {
    /// Runs a query and returns its rows, for assertions.
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query).collect()
    }

    /// Runs a query and decodes the first column of its first row.
    public func value<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type = Value.self) async throws -> Value {
        guard let row = try await self.query(query).collect().first else { throw NoRows() }
        return try row.decode(Value.self)
    }

    /// Runs a query for its effect.
    public func run(_ query: PostgresQuery) async throws {
        _ = try await self.query(query).collect()
    }
}

public struct NoRows: Error {}
