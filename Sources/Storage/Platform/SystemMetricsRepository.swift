public import PostgresNIO

/// The platform's `system_metrics` (seed 002) through `record_metric`,
/// which `recent_metrics_by_service` summarises per service and hour.
public struct SystemMetricsRepository: Sendable {
    /// One figure: `type` is the seed's kind (throughput, latency, gauge,
    /// ratio), `route` its route template when it has one.
    public struct Figure: Sendable {
        public let type: String
        public let name: String
        public let value: Double
        public let unit: String
        public let route: String?

        public init(type: String, name: String, value: Double, unit: String, route: String? = nil) {
            self.type = type
            self.name = name
            self.value = value
            self.unit = unit
            self.route = route
        }
    }

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Records `figures` for `service` in one statement.
    public func record(_ figures: [Figure], service: String) async throws {
        let finite = figures.filter(\.value.isFinite)
        guard !finite.isEmpty else { return }
        _ = try await client.query("""
            SELECT record_metric(\(service), f.type, f.name, f.value, f.unit,
                                 CASE WHEN f.route IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('route', f.route) END)
            FROM unnest(\(finite.map(\.type))::text[], \(finite.map(\.name))::text[], \(finite.map(\.value))::float8[],
                        \(finite.map(\.unit))::text[], \(NullableArray(finite.map(\.route)))::text[]) AS f(type, name, value, unit, route)
            """).collect()
    }
}
