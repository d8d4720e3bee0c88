import API
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing

/// Geofences through the API: defined per tenant, tested on every position
/// write, their events pulled from the feed and pushed to webhooks.
@Suite(.timeLimit(.minutes(5))) struct GeofenceAPITests {
    typealias Client = any TestClientProtocol

    static let square = #"{"type": "Polygon", "coordinates": [[[7.40, 43.70], [7.44, 43.70], [7.44, 43.74], [7.40, 43.74], [7.40, 43.70]], [[7.41, 43.71], [7.43, 43.71], [7.43, 43.73], [7.41, 43.73], [7.41, 43.71]]]}"#

    static func put(_ http: Client, _ id: String, _ body: String, token: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        let headers: HTTPFields = token.map { TestAuth.bearer($0) } ?? [:]
        return try await http.execute(uri: "/v1/geofences/\(id)", method: .put, headers: headers, body: ByteBuffer(string: body)) {
            ($0.status, try TestApp.json($0.body))
        }
    }

    static func move(_ http: Client, _ driver: String, _ lat: Double, _ lng: Double, type: String = "current", attributes: String? = nil) async throws {
        let body = #"{"lat": \#(lat), "lng": \#(lng)"# + (attributes.map { #", "attributes": \#($0)"# } ?? "") + "}"
        try await http.execute(uri: "/v1/locations/\(driver)/\(type)", method: .put, body: ByteBuffer(string: body)) { #expect($0.status == .ok) }
    }

    /// Every event of the feed from its start, read again until it holds at
    /// least `count` (for up to a minute). The feed serves a transaction's
    /// events once every transaction older than it has ended, in any database
    /// of the server (`pg_snapshot_xmin`): while another test's long
    /// transaction runs, acknowledged events wait.
    static func feed(_ http: Client, token: String? = nil, count: Int = 0) async throws -> [[String: Any]] {
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            let events = try await feedOnce(http, token: token)
            if events.count >= count || clock.now - start > .seconds(60) { return events }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private static func feedOnce(_ http: Client, token: String?) async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        var after = "0.0"
        while true {
            let headers: HTTPFields = token.map { TestAuth.bearer($0) } ?? [:]
            let page = try await http.execute(uri: "/v1/geofences/events?after=\(after)&limit=3", method: .get, headers: headers) {
                #expect($0.status == .ok)
                return try TestApp.json($0.body)
            }
            let batch = page["events"] as? [[String: Any]] ?? []
            events += batch
            after = page["next_after"] as? String ?? after
            if batch.isEmpty { return events }
        }
    }

    static func summary(_ events: [[String: Any]], driver: String, fence: String? = nil) -> [String] {
        events.filter { $0["user_id"] as? String == driver && (fence == nil || $0["fence_id"] as? String == fence) }
            .map { "\($0["fence_id"] ?? "?") \($0["event"] ?? "?")" }
    }

    @Test func fencesAreDefinedShownListedAndDeleted() async throws {
        try await TestApp.with { http, _ in
            let secret = "a-secret-of-some-length"
            let body = #"{"geometry": \#(Self.square), "detect": ["enter"], "location_type": "current", "where": ["seats:>=4"], "wherein": ["class:xl,suv"], "webhook": {"url": "https://hooks.example/geo", "secret": "\#(secret)"}}"#
            let (created, shown) = try await Self.put(http, "depot", body)
            #expect(created == .created)
            #expect(shown["id"] as? String == "depot" && shown["detect"] as? [String] == ["enter"])
            #expect(shown["where"] as? [String] == ["seats:>=4"] && shown["wherein"] as? [String] == ["class:xl,suv"])
            #expect((shown["webhook"] as? [String: Any])?["url"] as? String == "https://hooks.example/geo")
            #expect(((shown["geometry"] as? [String: Any])?["coordinates"] as? [Any])?.count == 2)
            #expect(try await Self.put(http, "depot", #"{"circle": {"lat": 1, "lng": 2, "radius_m": 50}}"#).0 == .ok)
            #expect(try await Self.put(http, "z-last", #"{"circle": {"lat": 1, "lng": 2, "radius_m": 50}}"#).0 == .created)
            let raw = try await http.execute(uri: "/v1/geofences/depot", method: .get) { String(buffer: $0.body) }
            #expect(raw.contains(#""radius_m":50"#) && !raw.contains("geometry") && !raw.contains(secret))
            let page = try await http.execute(uri: "/v1/geofences?limit=1", method: .get) { try TestApp.json($0.body) }
            #expect((page["geofences"] as? [[String: Any]])?.map { $0["id"] as? String } == ["depot"])
            #expect(page["next_after"] as? String == "depot")
            let rest = try await http.execute(uri: "/v1/geofences?after=depot", method: .get) { try TestApp.json($0.body) }
            #expect((rest["geofences"] as? [[String: Any]])?.map { $0["id"] as? String } == ["z-last"] && rest["next_after"] == nil)
            try await http.execute(uri: "/v1/geofences/depot", method: .delete) { #expect($0.status == .noContent) }
            try await http.execute(uri: "/v1/geofences/depot", method: .get) { #expect($0.status == .notFound) }
            try await http.execute(uri: "/v1/geofences/depot", method: .delete) { #expect($0.status == .notFound) }
        }
    }

    static let badBodies = [
        (#"{"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]}}"#, "geometry", "Self-intersection"),
        (#"{"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}}"#, "geometry.coordinates[0]", "closed"),
        (#"{"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [200, 1], [0, 0]]]}}"#, "geometry.coordinates[0][2]", "longitude"),
        (#"{"geometry": {"type": "Point", "coordinates": [0, 0]}}"#, "geometry.type", "Polygon"),
        (#"{"circle": {"lat": 1, "lng": 2}}"#, "circle.radius_m", "required"),
        (#"{"circle": {"lat": 1, "lng": 2, "radius_m": 5}, "geometry": {"type": "Polygon"}}"#, "geometry", "not both"),
        (#"{"circle": {"lat": 1, "lng": 2, "radius_m": 5}, "detect": ["sideways"]}"#, "detect", "enter"),
        (#"{"circle": {"lat": 1, "lng": 2, "radius_m": 5}, "location_type": "boat"}"#, "location_type", "current"),
        (#"{"circle": {"lat": 1, "lng": 2, "radius_m": 5}, "where": ["no-colon"]}"#, "where", "name:value"),
        (#"{"circle": {"lat": 1, "lng": 2, "radius_m": 5}, "webhook": {"url": "https://u:p@h.example/x", "secret": "0123456789abcdef"}}"#, "webhook.url", "user information"),
        (#"{"circle": {"lat": 1, "lng": 2, "radius_m": 5}, "webhook": {"url": "ftp://h.example/x", "secret": "0123456789abcdef"}}"#, "webhook.url", "http"),
        (#"{"circle": {"lat": 1, "lng": 2, "radius_m": 5}, "webhook": {"url": "https://h.example/x", "secret": "short"}}"#, "webhook.secret", "16"),
        ("[1, 2]", "body", "object"),
    ]

    @Test func badFencesAreRefusedNamingTheField() async throws {
        try await TestApp.with { http, _ in
            for (body, field, words) in Self.badBodies {
                try await http.execute(uri: "/v1/geofences/f1", method: .put, body: ByteBuffer(string: body)) {
                    #expect($0.status == .badRequest)
                    let named = try TestApp.errorField($0.body)
                    #expect(named == field, "\(body)")
                    #expect(String(buffer: $0.body).contains(words), "\(String(buffer: $0.body))")
                }
            }
            try await http.execute(uri: "/v1/geofences/f1", method: .get) { #expect($0.status == .notFound) }  // nothing stored
            let circle = #"{"circle": {"lat": 1, "lng": 2, "radius_m": 5}}"#
            // `events` is the feed's name, never a fence's.
            try await http.execute(uri: "/v1/geofences/events", method: .put, body: ByteBuffer(string: circle)) {
                #expect($0.status == .methodNotAllowed)
            }
            try await http.execute(uri: "/v1/geofences/events?after=x", method: .get) { #expect($0.status == .badRequest) }
            try await http.execute(uri: "/v1/geofences/events?wait_s=60", method: .get) { #expect($0.status == .badRequest) }
        }
    }

    /// A driver crossing a polygon's edges and its hole, one going round
    /// ±180° inside a fence that spans it, and filters by type and by
    /// attribute: the feed holds exactly the crossings, in order.
    @Test func crossingsOfEdgesHolesAndTheAntimeridianBecomeEvents() async throws {
        try await TestApp.with { http, _ in
            #expect(try await Self.put(http, "ring", #"{"geometry": \#(Self.square), "detect": ["enter", "exit", "inside"], "location_type": "current"}"#).0 == .created)
            let pacific = #"{"type": "MultiPolygon", "coordinates": [[[[170, -10], [-170, -10], [-170, 10], [170, 10], [170, -10]]]]}"#
            #expect(try await Self.put(http, "dateline", #"{"geometry": \#(pacific)}"#).0 == .created)
            #expect(try await Self.put(http, "free", #"{"circle": {"lat": 43.72, "lng": 7.405, "radius_m": 300}, "where": ["status:available"]}"#).0 == .created)

            let driver = UUID().uuidString.lowercased()
            for (lat, lng) in [(43.69, 7.39), (43.705, 7.405), (43.72, 7.42), (43.735, 7.42), (43.736, 7.421), (43.75, 7.45)] {
                try await Self.move(http, driver, lat, lng)
            }
            // The same path as a home location: the ring watches `current` only.
            let home = UUID().uuidString.lowercased()
            try await Self.move(http, home, 43.705, 7.405, type: "home")
            let sailor = UUID().uuidString.lowercased()
            for (lat, lng) in [(0.0, 160.0), (0, 179.9), (0.5, -179.9), (1, 179.5), (0, 0)] {
                try await Self.move(http, sailor, lat, lng)
            }
            // The circle counts only available drivers: busy inside is nothing; available inside is an entry.
            let cab = UUID().uuidString.lowercased()
            try await Self.move(http, cab, 43.72, 7.405, attributes: #"{"status": "busy"}"#)
            try await Self.move(http, cab, 43.7201, 7.405)
            try await Self.move(http, cab, 43.7202, 7.405, attributes: #"{"status": "available"}"#)
            try await Self.move(http, cab, 43.7203, 7.405, attributes: #"{"status": "busy"}"#)

            // 5 for the driver, 2 for the sailor, and for the cab 2 in the circle
            // plus 4 in the ring (an entry, then `inside` on each later write).
            let events = try await Self.feed(http, count: 13)
            #expect(events.count == 13)
            #expect(Self.summary(events, driver: driver) == ["ring enter", "ring exit", "ring enter", "ring inside", "ring exit"])
            #expect(Self.summary(events, driver: home).isEmpty)
            #expect(Self.summary(events, driver: sailor) == ["dateline enter", "dateline exit"])
            #expect(Self.summary(events, driver: cab, fence: "free") == ["free enter", "free exit"])
            #expect(Self.summary(events, driver: cab, fence: "ring") == ["ring enter", "ring inside", "ring inside", "ring inside"])
            let first = try #require(events.first { $0["user_id"] as? String == driver })
            #expect(first["lat"] as? Double == 43.705 && first["lng"] as? Double == 7.405 && first["type"] as? String == "current")
            #expect((first["event_id"] as? String).flatMap { UUID(uuidString: $0) } != nil && first["at"] is String)
        }
    }
}
