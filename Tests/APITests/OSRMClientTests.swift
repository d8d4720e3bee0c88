import Foundation
import Testing
import TestSupport

/// Real OSRM clients with their default options (routingpy, osrm-py, both
/// from PyPI, installed by scripts/install-deps.sh) against `wayline serve`
/// on Monaco, their parsed answers held against the server's own table.
@Suite(.timeLimit(.minutes(10))) struct OSRMClientTests {
    @Test func routingpyAndOsrmPyReadWhatTheServerAnswers() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            // Intersections with roads that join them all both ways, so every pair has a route.
            let points = try await RoadNetworkFixture.vertices(client, roads: 3, open: .both, seed: "clients", limit: 4)
            let port = try LoopbackSocket.freePort()
            let server = try WaylineProcess.serve(settings, port: port, ["WAYLINE_ROUTES_PUBLIC": "true", "WAYLINE_LOG_LEVEL": "critical"])
            defer { kill(server.processIdentifier, SIGKILL) }
            let base = "http://127.0.0.1:\(port)"
            #expect(try await Self.networkLoaded(port: port))

            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Clients/osrm_clients.py").path
            // The clients write six decimals, which puts an intersection a few
            // centimetres onto one of its roads: the server's own table at those
            // points is what they must read back (the table itself is held to
            // the turn oracle in TableAPITests).
            let coordinates = points.map { String(format: "%.6f,%.6f", $0.lng, $0.lat) }
            let table = try await Self.table(port: port, coordinates)
            // A trace along the route between the first two points (at most 100 of its points).
            let routed = try await Self.route(port: port, Array(coordinates.prefix(2)))
            let every = max(1, (routed.line.count + 98) / 99)
            let sampled = Array(stride(from: 0, to: routed.line.count, by: every))
            let trace = (sampled.last == routed.line.count - 1 ? sampled : sampled + [routed.line.count - 1]).map { routed.line[$0] }
            let run = try await Self.python([script, base] + coordinates, environment: ["WAYLINE_TRACE": trace.joined(separator: ";")])
            #expect(run.status == 0, "\(run.errors)")
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])

            func cost(_ i: Int, _ j: Int) -> Double { table[safe: i]?[safe: j] ?? .nan }
            let viaSecond = cost(0, 1) + cost(1, 2)
            let directions = parsed["routingpy_directions"] as? [String: Any]
            // routingpy rounds durations to whole seconds.
            #expect(abs(Double(directions?["duration"] as? Int ?? -1) - viaSecond) <= 1, "\(directions ?? [:]) vs \(viaSecond)")
            #expect((directions?["points"] as? Int ?? 0) >= 2)
            #expect((parsed["routingpy_steps"] as? Int ?? 0) >= 2)
            let matrix = parsed["routingpy_matrix"] as? [String: Any]
            let durations = matrix?["durations"] as? [[Double]] ?? []
            #expect(durations.count == points.count)
            for i in points.indices {
                for j in points.indices where i != j {
                    #expect(abs((durations[safe: i]?[safe: j] ?? -1) - cost(i, j)) <= 0.05 + 1e-6 * cost(i, j), "matrix \(i)→\(j)")
                }
            }
            let route = parsed["osrm_route"] as? [String: Any]
            #expect(route?["code"] as? String == "Ok")
            let legs = route?["legs"] as? [Double] ?? []
            #expect(legs.count == 2 && abs((legs.first ?? -1) - cost(0, 1)) <= 0.05 && abs((legs.last ?? -1) - cost(1, 2)) <= 0.05)
            let nearest = parsed["osrm_nearest"] as? [Double] ?? []
            #expect(nearest.count == 2 && abs(nearest[0] - points[0].lng) < 1e-6 && abs(nearest[1] - points[0].lat) < 1e-6)
            // The route's own line, as a trace, matches as the route.
            let match = parsed["osrm_match"] as? [String: Any]
            #expect(match?["code"] as? String == "Ok" && (match?["tracepoints"] as? [Bool])?.count == trace.count, "\(match ?? [:])")
            let matched = match?["distances"] as? [Double] ?? []
            let matchedDistance: Double = matched.first ?? -1
            #expect(matched.count == 1 && abs(matchedDistance - routed.distance) <= 0.01 * routed.distance, "\(matched) vs \(routed.distance)")
        }
    }

    /// Until a point in the sea fails to snap (rather than finding no network).
    static func networkLoaded(port: Int) async throws -> Bool {
        for _ in 0..<600 {
            if let socket = try? LoopbackSocket(port: port) {
                try socket.send("GET /route/v1/driving/0,0;0,0 HTTP/1.1\r\nHost: wayline\r\nConnection: close\r\n\r\n")
                if socket.receiveAll().contains("NoSegment") { return true }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// The durations of the server's table between `coordinates`, read over a plain socket.
    static func table(port: Int, _ coordinates: [String]) async throws -> [[Double]] {
        try #require(try await get(port: port, "/table/v1/driving/\(coordinates.joined(separator: ";"))")["durations"] as? [[Double]])
    }

    /// The server's route between `coordinates`: its distance, and every
    /// point of its line (the trace to match).
    static func route(port: Int, _ coordinates: [String]) async throws -> (distance: Double, line: [String]) {
        let body = try await get(port: port, "/route/v1/driving/\(coordinates.joined(separator: ";"))?overview=full&geometries=geojson")
        let route = try #require((body["routes"] as? [[String: Any]])?.first)
        let line = (route["geometry"] as? [String: Any])?["coordinates"] as? [[Double]] ?? []
        return (try #require(route["distance"] as? Double), line.map { String(format: "%.6f,%.6f", $0[0], $0[1]) })
    }

    /// A GET's JSON body, over a plain socket.
    static func get(port: Int, _ target: String) async throws -> [String: Any] {
        let request = "GET \(target) HTTP/1.1\r\nHost: wayline\r\nConnection: close\r\n\r\n"
        let response = try await RawHTTP.exchange(port: port, Array(request.utf8))
        let body = response.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(response)")
    }

    static func python(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try await WaylineProcess.finish(process, within: .seconds(300))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
