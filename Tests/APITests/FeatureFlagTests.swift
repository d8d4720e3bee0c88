import Foundation
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import TestSupport

/// Wayline's switches in the platform's feature flags: turned on and off in
/// `feature_flags`, they take effect within the refresh interval, with no
/// query per request.
@Suite(.timeLimit(.minutes(5))) struct FeatureFlagTests {
    @Test func nearbyFollowsItsKillSwitch() async throws {
        try await TestApp.with { http, settings in
            try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { owner in
                let user = UUID()
                try await http.execute(uri: "/v1/locations/\(user)/current", method: .put, body: ByteBuffer(string: #"{"lat": 10, "lng": 20}"#)) {
                    #expect($0.status == .ok)
                }
                // Until the follower has loaded the table once, nearby answers from PostGIS.
                #expect(try await Self.waitForSource(http, "index"))
                try await owner.query("""
                    INSERT INTO feature_flags (key, name, enabled, rollout_strategy) VALUES ('wayline.nearby.postgis', 'nearby from PostGIS', true, 'all')
                    """)
                #expect(try await Self.waitForSource(http, "postgis"))
                try await owner.query("UPDATE feature_flags SET enabled = false WHERE key = 'wayline.nearby.postgis'")
                #expect(try await Self.waitForSource(http, "index"))
            }
        }
    }

    private static func source(_ http: any TestClientProtocol) async throws -> String? {
        try await http.execute(uri: "/v1/nearby?lat=10&lng=20&radius_m=100", method: .get) { response in
            let json = try TestApp.json(response.body)
            #expect((json["results"] as? [Any])?.count == 1)
            return json["source"] as? String
        }
    }

    /// Until nearby answers from `source`, 15 s at most (the flags refresh every 5 s).
    private static func waitForSource(_ http: any TestClientProtocol, _ source: String) async throws -> Bool {
        for _ in 0..<150 {
            if try await Self.source(http) == source { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
