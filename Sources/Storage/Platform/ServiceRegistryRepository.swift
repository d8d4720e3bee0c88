public import PostgresNIO

/// The platform's service registry (seed 002): `register_service`,
/// `service_heartbeat`, and the `service_health_overview` view operators read.
public struct ServiceRegistryRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// One instance as the registry knows it.
    public struct Instance: Sendable {
        public let name: String
        public let version: String
        public let endpoint: String
        public let capabilities: [String]

        public init(name: String, version: String, endpoint: String, capabilities: [String]) {
            self.name = name
            self.version = version
            self.endpoint = endpoint
            self.capabilities = capabilities
        }
    }

    /// Registers (or re-registers) `instance` as `starting`.
    public func register(_ instance: Instance) async throws {
        _ = try await client.query("""
            SELECT register_service(\(instance.name), 'wayline', \(instance.version), \(instance.endpoint),
                                    \(instance.endpoint + "/health"), to_jsonb(\(instance.capabilities)::text[]))
            """).collect()
    }

    /// Records a heartbeat with `status` and a JSON object of figures; false
    /// when the registry no longer knows the instance (someone deleted it).
    public func heartbeat(_ name: String, status: String, figuresJSON: String) async throws -> Bool {
        for try await found in try await client.query("SELECT service_heartbeat(\(name), \(status), \(figuresJSON)::jsonb)").decode(Bool.self) {
            return found
        }
        return false
    }

    /// `service_health_overview`: each instance's name and effective status.
    public func overview() async throws -> [(name: String, status: String)] {
        var rows: [(name: String, status: String)] = []
        for try await row in try await client.query("SELECT service_name, effective_status FROM service_health_overview ORDER BY service_name")
            .decode((String, String).self) {
            rows.append((name: row.0, status: row.1))
        }
        return rows
    }
}
