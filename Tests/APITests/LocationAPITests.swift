import API
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// The location API against a real PostGIS, through the whole application.
@Suite(.timeLimit(.minutes(5))) struct LocationAPITests {
    @Test func putGetListDeleteAndOutOfOrder() async throws {
        let user = UUID().uuidString
        try await TestApp.with { http, _ in
            try await http.execute(uri: "/v1/locations/\(user)/current", method: .put,
                                   body: ByteBuffer(string: #"{"lat": -1.95, "lng": 30.06, "accuracy_m": 4.5, "recorded_at": "2026-04-01T12:00:00Z"}"#)) {
                #expect($0.status == .ok)
                let body = try TestApp.json($0.body)
                #expect(body["lat"] as? Double == -1.95 && body["accuracy_m"] as? Double == 4.5)
            }
            // A late packet from before the stored fix is not stored; the answer shows what is.
            try await http.execute(uri: "/v1/locations/\(user)/current", method: .put,
                                   body: ByteBuffer(string: #"{"lat": 10, "lng": 10, "recorded_at": "2026-04-01T11:59:00Z"}"#)) {
                let latitude = try TestApp.json($0.body)["lat"] as? Double
                #expect($0.status == .ok)
                #expect(latitude == -1.95)
            }
            try await http.execute(uri: "/v1/locations/\(user)/home", method: .put, body: ByteBuffer(string: #"{"lat": 0, "lng": 0, "city": "Kigali"}"#)) {
                #expect($0.status == .ok)
            }
            try await http.execute(uri: "/v1/locations/\(user)", method: .get) {
                let locations = try TestApp.json($0.body)["locations"] as? [[String: Any]] ?? []
                #expect(locations.compactMap { $0["type"] as? String } == ["current", "home"])
            }
            try await http.execute(uri: "/v1/locations/\(user)/current", method: .delete) { #expect($0.status == .noContent) }
            try await http.execute(uri: "/v1/locations/\(user)/current", method: .get) { #expect($0.status == .notFound) }
            try await http.execute(uri: "/v1/locations/\(user)/current", method: .delete) { #expect($0.status == .notFound) }
        }
    }

    /// Every optional field is stored and shown as sent, absent ones stay
    /// absent, and a batch may mix both; times keep their microseconds.
    @Test func optionalFieldsSurviveTheRoundTrip() async throws {
        let (first, second) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        let full = #"""
            {"user_id": "\#(first)", "type": "pickup", "lat": 89.99999, "lng": -179.99999, "accuracy_m": 0,
             "altitude_m": -12.25, "heading_deg": 359.5, "speed_mps": 13.75, "recorded_at": "2026-04-01T12:00:00.123456Z",
             "address": "Rue \"A\" \\ 3, ✓", "place_name": "Café 🚕", "place_id": "ChIJ/x", "city": "", "country": "RW"}
            """#
        let bare = #"{"user_id": "\#(second)", "type": "current", "lat": 0, "lng": 0, "heading_deg": 0}"#
        try await TestApp.with { http, settings in
            try await http.execute(uri: "/v1/locations/batch", method: .post, body: ByteBuffer(string: #"{"updates": [\#(full), \#(bare)]}"#)) {
                #expect($0.status == .ok)
            }
            try await http.execute(uri: "/v1/locations/\(first)/pickup", method: .get) {
                let body = try TestApp.json($0.body)
                #expect(body["altitude_m"] as? Double == -12.25 && body["heading_deg"] as? Double == 359.5)
                #expect(body["accuracy_m"] as? Double == 0 && body["speed_mps"] as? Double == 13.75)
                #expect(body["address"] as? String == #"Rue "A" \ 3, ✓"#)
                #expect(body["place_name"] as? String == "Café 🚕" && body["place_id"] as? String == "ChIJ/x")
                #expect(body["city"] as? String == "" && body["country"] as? String == "RW")
                #expect(body["recorded_at"] as? String == "2026-04-01T12:00:00.123Z")
            }
            try await http.execute(uri: "/v1/locations/\(second)/current", method: .get) {
                let body = try TestApp.json($0.body)
                #expect(body["heading_deg"] as? Double == 0)
                for absent in ["accuracy_m", "altitude_m", "speed_mps", "address", "place_name", "place_id", "city", "country"] {
                    #expect(body[absent] == nil, "\(absent) was not sent")
                }
            }
            let micros = try await TestApp.sql(settings) {
                try await $0.value("SELECT (extract(microseconds FROM recorded_at) % 1000000)::int FROM locations WHERE user_id = \(UUID(uuidString: first)!)", as: Int.self)
            }
            #expect(micros == 123_456)
        }
    }

    @Test func nearbyAnswersFromTheIndexAndFromPostGIS() async throws {
        let driver = UUID().uuidString
        try await TestApp.with { http, _ in
            for (user, type) in [(driver, "current"), (UUID().uuidString, "home")] {
                try await http.execute(uri: "/v1/locations/\(user)/\(type)", method: .put, body: ByteBuffer(string: #"{"lat": -1.95, "lng": 30.06}"#)) {
                    #expect($0.status == .ok)
                }
            }
            // The index is ready once the follower's first poll has run.
            try await Task.sleep(for: .milliseconds(500))
            for (type, source) in [("current", "index"), ("home", "postgis")] {
                try await http.execute(uri: "/v1/nearby?lat=-1.9501&lng=30.06&radius_m=100&type=\(type)", method: .get) { response in
                    let body = try TestApp.json(response.body)
                    let results = body["results"] as? [[String: Any]] ?? []
                    #expect(response.status == .ok)
                    #expect(body["source"] as? String == source)
                    #expect(results.count == 1)
                    #expect(abs((results.first?["distance_m"] as? Double ?? 0) - 11.06) < 0.1)
                }
            }
        }
    }

    @Test func batchIsAllOrNothing() async throws {
        let good = UUID().uuidString
        try await TestApp.with { http, settings in
            let body = """
                {"updates": [{"user_id": "\(good)", "type": "current", "lat": 1, "lng": 2},
                             {"user_id": "nope", "type": "boat", "lat": 91, "lng": 2},
                             {"user_id": "\(good)", "type": "home", "lat": "1", "lng": 2}]}
                """
            try await http.execute(uri: "/v1/locations/batch", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                let details = (try TestApp.json(response.body)["error"] as? [String: Any])?["details"] as? [[String: String]] ?? []
                #expect(Set(details.compactMap { $0["field"] }) == ["updates[1].user_id", "updates[1].type", "updates[1].lat", "updates[2].lat"])
            }
            let stored = try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) {
                try await $0.value("SELECT count(*)::int FROM locations", as: Int.self)
            }
            #expect(stored == 0, "nothing from a rejected batch is written")

            let users = (0..<300).map { _ in UUID().uuidString }
            let valid = "{\"updates\": [" + users.map { #"{"user_id": "\#($0)", "type": "current", "lat": -1.9, "lng": 30.1}"# }.joined(separator: ",") + "]}"
            try await http.execute(uri: "/v1/locations/batch", method: .post, body: ByteBuffer(string: valid)) { response in
                #expect(response.status == .ok)
                let locations = try TestApp.json(response.body)["locations"] as? [Any]
                #expect(locations?.count == 300)
            }
        }
    }

    @Test(arguments: [
        (#"{"lat": 91, "lng": 0}"#, "lat"), (#"{"lat": -90.5, "lng": 0}"#, "lat"), (#"{"lat": 0, "lng": 180.01}"#, "lng"),
        (#"{"lat": 1e400, "lng": 0}"#, "lat"), (#"{"lat": -1e400, "lng": 0}"#, "lat"), (#"{"lat": "12", "lng": 0}"#, "lat"),
        (#"{"lng": 0}"#, "lat"), (#"{"lat": 0, "lng": null}"#, "lng"), (#"{"lat": 0, "lng": 0, "accuracy_m": -1}"#, "accuracy_m"),
        (#"{"lat": 0, "lng": 0, "heading_deg": 400}"#, "heading_deg"), (#"{"lat": 0, "lng": 0, "recorded_at": "yesterday"}"#, "recorded_at"),
        (#"{"lat": 0, "lng": 0, "recorded_at": "2999-01-01T00:00:00Z"}"#, "recorded_at"),
        (#"{"lat": 0, "lng": 0, "recorded_at": "1970-01-01T00:00:00Z"}"#, "recorded_at"), (#"{"lat": 0, "lng": 0, "recorded_at": "0001-01-01T00:00:00Z"}"#, "recorded_at"),
        (#"{"lat": 0, "lng": 0, "recorded_at": "2026-02-30T12:00:00Z"}"#, "recorded_at"),
        (#"{"lat": 0, "lng": 0, "city": 7}"#, "city"),
        (#"[1, 2]"#, "body"), (#"{"lat": NaN, "lng": 0}"#, "body"), (#"{"lat": 0, "lng": 0"#, "body"), ("", "body"),
    ])
    func badBodiesAreRejectedWithTheField(body: String, field: String) async throws {
        try await TestApp.with { http, _ in
            try await http.execute(uri: "/v1/locations/\(UUID().uuidString)/current", method: .put, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest, "\(body)")
                let error = try TestApp.json(response.body)["error"] as? [String: Any]
                #expect(error?["field"] as? String == field, "\(body)")
            }
        }
    }

    @Test func aRangeRuleReadsTheSameInABodyAndInAQuery() async throws {
        try await TestApp.with { http, _ in
            func rules(_ response: TestResponse) throws -> [String] {
                let error = try TestApp.json(response.body)["error"] as? [String: Any]
                return (error?["details"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            }
            try await http.execute(uri: "/v1/locations/\(UUID().uuidString)/current", method: .put,
                                   body: ByteBuffer(string: #"{"lat": 91, "lng": 0, "speed_mps": 2000}"#)) { response in
                let found = try rules(response)
                #expect(found == ["must be between -90 and 90", "must be between 0 and 1000"])
            }
            try await http.execute(uri: "/v1/nearby?lat=91&lng=0", method: .get) { response in
                let found = try rules(response)
                #expect(found == ["must be between -90 and 90"])
            }
        }
    }

    @Test(arguments: [
        ("/v1/locations/not-a-uuid/current", "user_id"), ("/v1/locations/\(UUID().uuidString)/spaceship", "type"),
        ("/v1/nearby?lng=30", "lat"), ("/v1/nearby?lat=1&lng=2&radius_m=0", "radius_m"), ("/v1/nearby?lat=1&lng=2&radius_m=50001", "radius_m"),
        ("/v1/nearby?lat=1&lng=2&limit=0", "limit"), ("/v1/nearby?lat=1&lng=2&limit=101", "limit"), ("/v1/nearby?lat=nan&lng=2", "lat"),
        ("/v1/nearby?lat=1&lng=inf", "lng"), ("/v1/nearby?lat=1&lng=2&radius_m=0x10", "radius_m"), ("/v1/nearby?lat=1&lng=2&type=boat", "type"), ("/v1/nearby?lat=1&lng=2&max_age_s=-3", "max_age_s"),
    ])
    func badPathsAndQueriesAreRejected(uri: String, field: String) async throws {
        try await TestApp.with { http, _ in
            let method: HTTPRequest.Method = uri.hasPrefix("/v1/nearby") ? .get : .put
            try await http.execute(uri: uri, method: method, body: ByteBuffer(string: #"{"lat": 1, "lng": 2}"#)) { response in
                #expect(response.status == .badRequest, "\(uri)")
                let error = try TestApp.json(response.body)["error"] as? [String: Any]
                #expect(error?["field"] as? String == field, "\(uri)")
            }
        }
    }

    @Test func oversizedBodiesGet413() async throws {
        try await TestApp.with { http, _ in
            let huge = ByteBuffer(string: String(repeating: " ", count: 2 << 20) + "{}")
            try await http.execute(uri: "/v1/locations/\(UUID().uuidString)/current", method: .put, body: huge) { response in
                #expect(response.status == .contentTooLarge)
                let errorField = try TestApp.errorField(response.body)
                #expect(errorField == "body")
            }
        }
    }
}
