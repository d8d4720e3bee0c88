import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Driver attributes through the API: stored with positions, kept, patched,
/// shown, and filtered on inside nearby searches.
@Suite(.timeLimit(.minutes(5))) struct DriverAttributesAPITests {
    @Test func attributesAreStoredKeptAndPatched() async throws {
        let driver = UUID().uuidString.lowercased()
        try await TestApp.with { http, _ in
            let uri = "/v1/locations/\(driver)/current"
            try await http.execute(uri: uri, method: .put, body: ByteBuffer(string: #"""
                {"lat": 1, "lng": 2, "attributes": {"status": "available", "vehicle_class": "xl", "seats": 6, "electric": true, "rating": 4.75}}
                """#)) {
                #expect($0.status == .ok)
                let attributes = try TestApp.json($0.body)["attributes"] as? [String: Any]
                #expect(attributes?["status"] as? String == "available" && attributes?["seats"] as? Int == 6)
                #expect(attributes?["electric"] as? Bool == true && attributes?["rating"] as? Double == 4.75)
            }
            // A move without attributes keeps them.
            try await http.execute(uri: uri, method: .put, body: ByteBuffer(string: #"{"lat": 1.001, "lng": 2}"#)) {
                let read = try TestApp.json($0.body)
                #expect((read["attributes"] as? [String: Any])?["vehicle_class"] as? String == "xl")
            }
            // A patch sets and removes fields and leaves the position alone.
            try await http.execute(uri: uri + "/attributes", method: .patch, body: ByteBuffer(string: #"{"status": "busy", "seats": null, "electric": null}"#)) {
                #expect($0.status == .ok)
                let body = try TestApp.json($0.body)
                let attributes = body["attributes"] as? [String: Any] ?? [:]
                #expect(Set(attributes.keys) == ["status", "vehicle_class", "rating"])
                #expect(attributes["status"] as? String == "busy")
                #expect(body["lat"] as? Double == 1.001)
            }
            try await http.execute(uri: uri, method: .get) {
                let read = try TestApp.json($0.body)
                #expect((read["attributes"] as? [String: Any])?["status"] as? String == "busy")
            }
            // A write with attributes replaces the set; an empty object clears it.
            try await http.execute(uri: uri, method: .put, body: ByteBuffer(string: #"{"lat": 1, "lng": 2, "attributes": {"status": "offline"}}"#)) {
                let read = try TestApp.json($0.body)
                #expect((read["attributes"] as? [String: Any] ?? [:]).count == 1)
            }
            try await http.execute(uri: uri, method: .put, body: ByteBuffer(string: #"{"lat": 1, "lng": 2, "attributes": {}}"#)) {
                let read = try TestApp.json($0.body)
                #expect(read["attributes"] == nil)
            }
            let many = "{" + (0..<17).map { "\"f\($0)\": \($0)" }.joined(separator: ",") + "}"
            try await http.execute(uri: uri + "/attributes", method: .patch, body: ByteBuffer(string: many)) {
                #expect($0.status == .badRequest)
                let read = try TestApp.errorField($0.body)
                #expect(read == "body")
            }
            // Sixteen fit; one more through a patch of a single field does not, and nothing changes.
            let sixteen = "{" + (0..<16).map { "\"f\($0)\": \($0)" }.joined(separator: ",") + "}"
            try await http.execute(uri: uri + "/attributes", method: .patch, body: ByteBuffer(string: sixteen)) { #expect($0.status == .ok) }
            try await http.execute(uri: uri + "/attributes", method: .patch, body: ByteBuffer(string: #"{"one_more": 1}"#)) {
                #expect($0.status == .badRequest)
                let read = try TestApp.errorField($0.body)
                #expect(read == "body")
            }
            try await http.execute(uri: uri, method: .get) {
                let read = try TestApp.json($0.body)
                #expect((read["attributes"] as? [String: Any] ?? [:]).count == 16)
            }
            try await http.execute(uri: "/v1/locations/\(UUID().uuidString)/current/attributes", method: .patch, body: ByteBuffer(string: #"{"a": 1}"#)) {
                #expect($0.status == .notFound)
            }
        }
    }

    /// Ten busy drivers stand nearer than any available one: a filter applied
    /// after the limit would find nobody; inside the search it finds the
    /// nearest available drivers. The live index and PostGIS answer alike.
    @Test func filtersApplyInsideTheSearch() async throws {
        try await TestApp.with { http, _ in
            var drivers: [(id: String, attributes: String)] = []
            for step in 0..<10 { drivers.append((UUID().uuidString.lowercased(), #"{"status": "busy", "seats": \#(step % 8 + 1)}"#)) }
            drivers.append((UUID().uuidString.lowercased(), #"{"status": "available", "vehicle_class": "xl", "seats": 6}"#))
            drivers.append((UUID().uuidString.lowercased(), #"{"status": "available", "vehicle_class": "sedan", "seats": "4", "shift": "late night"}"#))
            for type in ["current", "home"] {
                let updates = drivers.enumerated().map { step, driver in
                    #"{"user_id": "\#(driver.id)", "type": "\#(type)", "lat": \#(-1.95 + Double(step) * 0.0001), "lng": 30.06, "attributes": \#(driver.attributes)}"#
                }
                try await http.execute(uri: "/v1/locations/batch", method: .post, body: ByteBuffer(string: #"{"updates": [\#(updates.joined(separator: ","))]}"#)) {
                    #expect($0.status == .ok)
                }
            }
            try await TestApp.waitForIndex(http)
            let cases: [(query: String, expected: [Int])] = [
                ("where=status:available&limit=1", [10]),
                ("where=status:available", [10, 11]),
                ("where=status:available&where=vehicle_class:sedan", [11]),
                ("wherein=vehicle_class:suv,sedan", [11]),
                ("where=seats:4", [3, 11]),
                ("where=seats:%3E%3D6&limit=3", [5, 6, 7]),
                ("where=seats:<2", [0, 8]),
                ("where=status:nobody", []),
                // A space as HTML forms and Python's urlencode send it, and percent-encoded; a literal plus is %2B.
                ("where=shift:late+night", [11]),
                ("where=shift:late%20night", [11]),
                ("where=shift:late%2Bnight", []),
            ]
            for (query, expected) in cases {
                for (type, source) in [("current", "index"), ("home", "postgis")] {
                    try await http.execute(uri: "/v1/nearby?lat=-1.95&lng=30.06&radius_m=500&type=\(type)&\(query)", method: .get) { response in
                        #expect(response.status == .ok)
                        let body = try TestApp.json(response.body)
                        let results = body["results"] as? [[String: Any]] ?? []
                        #expect(body["source"] as? String == source)
                        #expect(results.compactMap { $0["user_id"] as? String } == expected.map { drivers[$0].id }, "\(query) from \(source)")
                        #expect(results.allSatisfy { $0["attributes"] is [String: Any] })
                    }
                }
            }
        }
    }

    @Test(arguments: [
        (#"{"lat": 0, "lng": 0, "attributes": {"nested": {"a": 1}}}"#, "attributes.nested"),
        (#"{"lat": 0, "lng": 0, "attributes": {"list": [1]}}"#, "attributes.list"),
        (#"{"lat": 0, "lng": 0, "attributes": {"gone": null}}"#, "attributes.gone"),
        (#"{"lat": 0, "lng": 0, "attributes": {"long": "\#(String(repeating: "é", count: 33))"}}"#, "attributes.long"),
        (#"{"lat": 0, "lng": 0, "attributes": {"big": 1e400}}"#, "attributes.big"),
        (#"{"lat": 0, "lng": 0, "attributes": {"a:b": 1}}"#, "attributes"),
        (#"{"lat": 0, "lng": 0, "attributes": {"": 1}}"#, "attributes"),
        (#"{"lat": 0, "lng": 0, "attributes": "available"}"#, "attributes"),
        (#"{"lat": 0, "lng": 0, "attributes": {\#((0..<17).map { "\"f\($0)\": 1" }.joined(separator: ","))}}"#, "attributes"),
    ])
    func badAttributesAreNamed(body: String, field: String) async throws {
        try await TestApp.with { http, settings in
            try await http.execute(uri: "/v1/locations/\(UUID().uuidString)/current", method: .put, body: ByteBuffer(string: body)) {
                #expect($0.status == .badRequest)
                let read = try TestApp.errorField($0.body)
                #expect(read == field)
            }
            let stored = try await TestApp.sql(settings) { try await $0.value("SELECT count(*)::int FROM locations", as: Int.self) }
            #expect(stored == 0)
        }
    }

    @Test func badFiltersAreNamed() async throws {
        let seventeen = (0..<17).map { "where=f\($0):1" }.joined(separator: "&")
        try await TestApp.with { http, _ in
            for (query, field) in [
                ("where=status", "where"), ("where=seats:%3E%3Dmany", "where"), ("where=seats:<", "where"), ("wherein=:a,b", "wherein"),
                ("where=a%2Cb:1", "where"), (seventeen, "where"),
            ] {
                try await http.execute(uri: "/v1/nearby?lat=0&lng=0&\(query)", method: .get) {
                    #expect($0.status == .badRequest, "\(query)")
                    let read = try TestApp.errorField($0.body)
                    #expect(read == field, "\(query)")
                }
            }
        }
    }
}
