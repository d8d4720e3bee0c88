public import PostgresNIO

/// One row of `system_audit_logs`, as the seed's `log_audit_event` takes it.
public struct AuditEvent: Sendable {
    /// 'user' or 'service' (the table also knows 'system' and 'admin').
    public let actorType: String
    public let actor: String
    public let action: String
    public let resourceType: String
    public let resourceID: String
    /// The request's id, so that the row can be found from a log line.
    public let correlationID: String?

    public init(actorType: String, actor: String, action: String, resourceType: String, resourceID: String, correlationID: String?) {
        self.actorType = actorType
        self.actor = actor
        self.action = action
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.correlationID = correlationID
    }
}

/// Writes audit rows through `log_audit_event`.
public struct AuditRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    public func record(_ event: AuditEvent) async throws {
        try await client.query("""
            SELECT log_audit_event(\(event.actorType), \(event.actor), \(event.action), \(event.resourceType),
                                   \(event.resourceID), '{}'::jsonb, \(event.correlationID))
            """)
    }
}
