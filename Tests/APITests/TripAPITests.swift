import Foundation
import HummingbirdTesting
import Testing
import TestSupport

/// OSRM's trip service on Monaco: the stops in the order that takes least
/// time (checked against every order, timed by the table service), the
/// route through them, and OSRM's errors.
@Suite(.timeLimit(.minutes(5))) struct TripAPITests {
    static let points = MultiPointRouteTests.points + ["7.4160,43.7290"]

    static func waypointIndices(_ body: [String: Any]) -> [Int] {
        (body["waypoints"] as? [[String: Any]] ?? []).compactMap { $0["waypoint_index"] as? Int }
    }

    /// The least total over every order that meets the constraints.
    static func best(_ durations: [[Double?]], roundTrip: Bool, first: Bool, last: Bool) -> Double {
        let n = durations.count
        var best = Double.infinity
        func visit(_ order: [Int], _ left: Set<Int>) {
            guard !left.isEmpty else {
                if last, order.last != n - 1 { return }
                let stops = roundTrip ? order + [order[0]] : order
                let total = zip(stops, stops.dropFirst()).reduce(0.0) { $0 + (durations[$1.0][$1.1] ?? .infinity) }
                best = min(best, total)
                return
            }
            for next in left.sorted() { visit(order + [next], left.subtracting([next])) }
        }
        for start in 0..<n where !(roundTrip || first) || start == 0 { visit([start], Set(0..<n).subtracting([start])) }
        return best
    }

    @Test func stopsComeInTheQuickestOrder() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                let coordinates = Self.points.joined(separator: ";")
                let (_, table) = try await TableAPITests.body(http, "/table/v1/driving/\(coordinates)")
                let durations = TableAPITests.matrix(table, "durations")
                #expect(durations.count == Self.points.count)

                for (options, roundTrip, first, last) in [("", true, true, false), ("?roundtrip=false&source=first", false, true, false),
                                                          ("?roundtrip=false&source=first&destination=last", false, true, true),
                                                          ("?roundtrip=false&destination=last", false, false, true)] {
                    let (status, body) = try await TableAPITests.body(http, "/trip/v1/driving/\(coordinates)\(options)")
                    #expect(status == 200 && body["code"] as? String == "Ok", "\(options): \(body)")
                    let trips = body["trips"] as? [[String: Any]] ?? []
                    #expect(trips.count == 1)
                    let legs = trips.first?["legs"] as? [[String: Any]] ?? []
                    #expect(legs.count == Self.points.count - (roundTrip ? 0 : 1), "\(options)")
                    let indices = Self.waypointIndices(body)
                    #expect(indices.sorted() == Array(Self.points.indices), "\(options): every stop once")
                    #expect((body["waypoints"] as? [[String: Any]] ?? []).allSatisfy { $0["trips_index"] as? Int == 0 })
                    if first { #expect(indices.first == 0, "\(options)") }
                    if last { #expect(indices.last == Self.points.count - 1, "\(options)") }
                    // The quickest order of all, by the table's times (one decimal each).
                    let duration = trips.first?["duration"] as? Double ?? -1
                    let best = Self.best(durations, roundTrip: roundTrip, first: first, last: last)
                    #expect(abs(duration - best) <= 0.1 * Double(legs.count) + 0.1, "\(options): \(duration) against the best \(best)")
                    #expect(abs(legs.reduce(0) { $0 + ($1["duration"] as? Double ?? 0) } - duration) < 0.5)
                }
            }
        }
    }

    @Test func badTripsGetOSRMErrors() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                let coordinates = Self.points.joined(separator: ";")
                for (query, code, field) in [
                    ("\(coordinates)?roundtrip=false", "NotImplemented", "roundtrip"),
                    ("\(coordinates)?source=middle", "InvalidQuery", "source"),
                    ("\(coordinates)?destination=first", "InvalidQuery", "destination"),
                    ("\(coordinates)?tour=yes", "InvalidQuery", "tour"),
                    ("\(Self.points[0])", "InvalidQuery", "coordinates"),
                    ("\(coordinates);0,0", "NoSegment", "coordinates[5]"),
                ] {
                    let (status, body) = try await TableAPITests.body(http, "/trip/v1/driving/\(query)")
                    #expect(status == 400 && body["code"] as? String == code && body["field"] as? String == field, "\(query): \(body)")
                }
            }
        }
    }
}
