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
            let server = WaylineProcess.make(["serve"], environment: [
                "DATABASE_URL": try TestDatabase.url(database: settings.database), "WAYLINE_JWT_SECRET": TestAuth.secret,
                "WAYLINE_ROUTES_PUBLIC": "true", "WAYLINE_PORT": "\(port)", "WAYLINE_LOG_LEVEL": "critical",
            ])
            try server.run()
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
            let run = try await Self.python([script, base] + coordinates)
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
        let request = "GET /table/v1/driving/\(coordinates.joined(separator: ";")) HTTP/1.1\r\nHost: wayline\r\nConnection: close\r\n\r\n"
        let response = try await RawHTTP.exchange(port: port, Array(request.utf8))
        let body = response.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return try #require(json?["durations"] as? [[Double]], "\(response)")
    }

    static func python(_ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        return try await WaylineProcess.finish(process, within: .seconds(300))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
