import Foundation
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing

/// The car profile's behaviour on small drawn networks, scenario by
/// scenario as OSRM states its own (`CarScenarios/*.feature`): each is
/// imported with the rest through `import-osm`'s pipeline, and every route
/// row asked of `/route/v1` with steps, its way names compared with the row's.
@Suite(.timeLimit(.minutes(10))) struct CarScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("CarScenarios")

    @Test func routesFollowTheWaysOSRMFollows() async throws {
        let scenarios = try CarScenario.load(directory: Self.directory)
        let extract = try CarScenarioExtract(scenarios)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-scenarios-\(UUID().uuidString).osm").path
        try extract.xml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
                try await RoadNetworkFixture.importFile(path, client: client)
            }
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                var failures: [String] = []
                var rows = 0
                for (index, scenario) in scenarios.enumerated() {
                    for row in scenario.routes {
                        rows += 1
                        let stops = row["waypoints"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                            ?? [row["from"] ?? "", row["to"] ?? ""]
                        let points = try stops.map { name in
                            guard let point = name.first.flatMap({ extract.points[index][$0] }) else { throw ScenarioError.unknown(scenario.title, name) }
                            return "\(point.lng),\(point.lat)"
                        }
                        let expected = CarScenario.names(row["route"] ?? "")
                        let (got, seconds) = try await Self.route(http, points.joined(separator: ";"))
                        let place = "\(scenario.file) \"\(scenario.title)\" \(stops.joined(separator: "→"))"
                        if got != expected {
                            failures.append("\(place): expected \(expected.joined(separator: ",")), got \(got.isEmpty ? "no route" : got.joined(separator: ","))")
                        } else if let time = row["time"].map(CarScenario.time), abs(seconds - time.seconds) > time.tolerance {
                            failures.append("\(place): expected \(time.seconds) ± \(time.tolerance) s, got \(seconds) s")
                        }
                    }
                }
                print("car scenarios: \(rows - failures.count) of \(rows) routes as OSRM's, in \(scenarios.count) scenarios")
                #expect(rows > 0)
                #expect(failures.isEmpty, "\(failures.count) routes differ:\n\(failures.joined(separator: "\n"))")
            }
        }
    }

    /// The names of the ways a route follows, consecutive repeats dropped,
    /// and its duration; no names when there is no route.
    static func route(_ http: any TestClientProtocol, _ coordinates: String) async throws -> (names: [String], seconds: Double) {
        let (status, body) = try await TestApp.retryingUnavailable {
            try await RouteAPITests.get(http, "/route/v1/driving/\(coordinates)?steps=true&overview=false")
        }
        guard status == .ok else { return ([], 0) }
        let route = RouteAPITests.route(body)
        let legs = route["legs"] as? [[String: Any]] ?? []
        let names = legs.flatMap { ($0["steps"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        return (CarScenario.names(names.joined(separator: ",")), route["duration"] as? Double ?? -1)
    }
}
