import API
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// Geofence events pushed to webhooks: signed, retried, dead-lettered,
/// delivered after the instance that committed them is gone, and by either
/// of two instances, each driver's crossings in order.
@Suite(.timeLimit(.minutes(5))) struct GeofenceWebhookTests {
    static let secret = "s3cret-for-the-receiver"

    static func fence(_ url: String) -> String {
        #"{"circle": {"lat": 43.72, "lng": 7.42, "radius_m": 500}, "webhook": {"url": "\#(url)", "secret": "\#(secret)"}}"#
    }

    /// In, out and in again: three crossings.
    static func cross(_ http: any TestClientProtocol, _ driver: String) async throws {
        for lat in [43.72, 43.80, 43.7201] { try await GeofenceAPITests.move(http, driver, lat, 7.42) }
    }

    @Test func eventsArePostedSignedAndMatchTheFeed() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await TestApp.with { http, _ in
                #expect(try await GeofenceAPITests.put(http, "zone", Self.fence(url)).0 == .created)
                let driver = UUID().uuidString.lowercased()
                try await Self.cross(http, driver)
                let got = try await receiver.wait { $0.count >= 3 }
                #expect(got.count == 3)
                #expect(got.allSatisfy { WebhookReceiver.verifies($0, secret: Self.secret) })
                #expect(!got.contains { WebhookReceiver.verifies($0, secret: "another secret") })
                #expect(got.map { $0.json["event"] as? String } == ["enter", "exit", "enter"])
                let feed = try await GeofenceAPITests.feed(http, count: 3)
                #expect(got.map { $0.json["event_id"] as? String } == feed.map { $0["event_id"] as? String })
                #expect(got.allSatisfy { $0.json["fence_key"] == nil && $0.json["fence_id"] as? String == "zone" })
            }
        }
    }

    @Test func aFailingReceiverIsRetriedThenDeadLettered() async throws {
        let receiver = WebhookReceiver()
        receiver.failing.store(true, ordering: .relaxed)
        try await receiver.run { url in
            try await TestDatabase.withMigratedDatabaseSettings { settings in
                var server = ServerSettings()
                server.webhookRetries = 2
                try await TestApp.on(settings, server: server) { http in
                    try await TestApp.ready(http)
                    #expect(try await GeofenceAPITests.put(http, "zone", Self.fence(url)).0 == .created)
                    try await GeofenceAPITests.move(http, UUID().uuidString.lowercased(), 43.72, 7.42)
                    // The first attempt, and two retries after 1 s and 2 s.
                    let got = try await receiver.wait { $0.count >= 3 }
                    #expect(got.count == 3 && Set(got.map(\.body)).count == 1)
                    var stats: [(String, Int)] = []
                    for _ in 0..<50 {
                        stats = try await TestApp.sql(settings) { client in
                            try await client.query("SELECT status, message_count::int FROM message_queue_stats WHERE queue_name = 'geofence_webhooks'")
                                .collect().map { try $0.decode((String, Int).self) }
                        }
                        if stats.contains(where: { $0.0 == "dead_letter" }) { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    #expect(stats.count == 1 && stats.first?.0 == "dead_letter" && stats.first?.1 == 1)
                    #expect(receiver.received.count == 3)  // no attempt after the last
                }
            }
        }
    }

    /// The instance that committed the events stops before it could deliver
    /// them (the receiver refuses until then); the next instance delivers them.
    @Test func eventsOutliveTheInstanceThatCommittedThem() async throws {
        let receiver = WebhookReceiver()
        receiver.failing.store(true, ordering: .relaxed)
        try await receiver.run { url in
            try await TestDatabase.withMigratedDatabaseSettings { settings in
                let driver = UUID().uuidString.lowercased()
                try await TestApp.on(settings) { http in
                    try await TestApp.ready(http)
                    #expect(try await GeofenceAPITests.put(http, "zone", Self.fence(url)).0 == .created)
                    try await Self.cross(http, driver)
                    _ = try await receiver.wait { !$0.isEmpty }
                }
                receiver.failing.store(false, ordering: .relaxed)
                let refused = receiver.received.count
                try await TestApp.on(settings) { http in
                    try await TestApp.ready(http)
                    let got = try await receiver.wait { Set($0.dropFirst(refused).map(\.body)).count >= 3 }
                    let delivered = got.dropFirst(refused).map { $0.json["event"] as? String }
                    #expect(delivered == ["enter", "exit", "enter"])
                }
            }
        }
    }

    /// Both instances take writes and deliver: every event arrives, and each
    /// driver's arrive in the order they were written.
    @Test func twoInstancesDeliverEveryEventInOrder() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await TestApp.withTwo { first, second, _ in
                try await TestApp.ready(first)
                try await TestApp.ready(second)
                #expect(try await GeofenceAPITests.put(first, "zone", Self.fence(url)).0 == .created)
                // The same definition through the second instance, which then holds it at once
                // (otherwise it would from the notification, a moment later).
                #expect(try await GeofenceAPITests.put(second, "zone", Self.fence(url)).0 == .ok)
                let drivers = (0..<8).map { _ in UUID().uuidString.lowercased() }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, driver) in drivers.enumerated() {
                        group.addTask {
                            for (step, lat) in [43.72, 43.80, 43.7201, 43.81].enumerated() {
                                try await GeofenceAPITests.move((index + step) % 2 == 0 ? first : second, driver, lat, 7.42)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let feed = try await GeofenceAPITests.feed(first, count: drivers.count * 4)
                #expect(feed.count == drivers.count * 4)
                let got = try await receiver.wait { Set($0.compactMap { $0.json["event_id"] as? String }).count >= feed.count }
                var seen = Set<String>()
                let firstReceipts = got.filter { seen.insert($0.json["event_id"] as? String ?? "").inserted }
                #expect(Set(firstReceipts.compactMap { $0.json["event_id"] as? String }) == Set(feed.compactMap { $0["event_id"] as? String }))
                for driver in drivers {
                    let order = firstReceipts.filter { $0.json["user_id"] as? String == driver }.map { $0.json["event"] as? String ?? "" }
                    #expect(order == ["enter", "exit", "enter", "exit"], "\(driver)")
                }
            }
        }
    }

    /// Fences and events are each tenant's own; users and anonymous callers get none.
    @Test func tenantsSeeOnlyTheirOwn() async throws {
        try await TestApp.unauthorized { http, _ in
            let north = try await TestAuth.service(tenant: "north"), south = try await TestAuth.service(tenant: "south")
            #expect(try await GeofenceAPITests.put(http, "zone", #"{"circle": {"lat": 43.72, "lng": 7.42, "radius_m": 500}}"#, token: north).0 == .created)
            #expect(try await GeofenceAPITests.put(http, "zone", #"{"circle": {"lat": 10, "lng": 10, "radius_m": 500}}"#, token: south).0 == .created)
            try await http.execute(uri: "/v1/geofences/zone", method: .get, headers: TestAuth.bearer(north)) {
                let circle = try TestApp.json($0.body)["circle"] as? [String: Any]
                #expect(circle?["lat"] as? Double == 43.72)
            }
            let driver = UUID()
            try await http.execute(uri: "/v1/locations/\(driver.uuidString.lowercased())/current", method: .put, headers: TestAuth.bearer(north),
                                   body: ByteBuffer(string: #"{"lat": 43.72, "lng": 7.42}"#)) { #expect($0.status == .ok) }
            #expect(try await GeofenceAPITests.feed(http, token: north, count: 1).count == 1)
            #expect(try await GeofenceAPITests.feed(http, token: south).isEmpty)
            try await http.execute(uri: "/v1/geofences/zone", method: .delete, headers: TestAuth.bearer(south)) { #expect($0.status == .noContent) }
            try await http.execute(uri: "/v1/geofences/zone", method: .get, headers: TestAuth.bearer(north)) { #expect($0.status == .ok) }
            try await http.execute(uri: "/v1/geofences", method: .get) { #expect($0.status == .unauthorized) }
            try await http.execute(uri: "/v1/geofences/events", method: .get, headers: TestAuth.bearer(try await TestAuth.user(driver))) {
                #expect($0.status == .forbidden)
            }
        }
    }
}
