import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The API contract, `Sources/API/OpenAPI/openapi.json`: valid OpenAPI 3.1
/// (openapi-spec-validator), the document `/openapi.json` serves, and kept:
/// Schemathesis, all its phases, against `wayline serve` on Monaco's roads
/// with a service token, finds no server error and no response outside the
/// document (status, content type, body, headers).
@Suite(.timeLimit(.minutes(10))) struct ContractTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/API/OpenAPI/openapi.json")

    @Test func theDocumentIsValidOpenAPI() async throws {
        let run = try await OSRMClientTests.python(["-m", "openapi_spec_validator", Self.document.path])
        #expect(run.status == 0, "\(run.output)\(run.errors)")
    }

    @Test func schemathesisFindsNothingAgainstALiveInstance() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            // Valid OSRM cases are moved onto these (contract_hooks.py): junctions of two-way roads.
            let points = try await RoadNetworkFixture.vertices(client, roads: 3, open: .both, seed: "contract", limit: 8)
            let port = try LoopbackSocket.freePort()
            let server = try WaylineProcess.serve(settings, port: port, [
                "WAYLINE_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8", "WAYLINE_SECRETS_KEY": TestApp.secretsKey,
            ])
            defer { kill(server.processIdentifier, SIGKILL) }
            try await ObservabilityTests.waitUntilReady(port: port)
            let base = "http://127.0.0.1:\(port)"

            // What is served is what is kept.
            let served = try await URLSession.shared.data(from: URL(string: "\(base)/openapi.json")!).0
            #expect(served == (try Data(contentsOf: Self.document)))

            let report = FileManager.default.temporaryDirectory.appendingPathComponent("schemathesis-\(UUID())")
            defer { try? FileManager.default.removeItem(at: report) }
            try FileManager.default.createDirectory(at: report, withIntermediateDirectories: true)
            // One worker: Hypothesis reads lambdas' source with `ast` to name
            // its strategies, and on CPython 3.11 two threads doing so at once
            // fail at random with `SystemError: AST constructor recursion
            // depth mismatch` (cpython gh-106905): 3 runs in 8 with two workers.
            let run = try await WaylineProcess.finish(Self.schemathesis(points: points.map { "\($0.lng),\($0.lat)" }.joined(separator: ";"), in: report, [
                "run", "\(base)/openapi.json", "--header", "Authorization: Bearer \(try await TestAuth.service())",
                "--phases", "examples,coverage,fuzzing,stateful", "--checks", "all", "--max-examples", "25",
                "--seed", "1", "--workers", "1", "--request-timeout", "20", "--suppress-health-check", "all",
                "--generation-allow-x00", "false", "--report-dir", report.path, "--no-color",
            ]), within: .seconds(480))
            #expect(run.status == 0, "\(run.output.suffix(20_000))\(run.errors.suffix(4_000))")
        }
    }

    /// Its command line through the `python3` the tests use, where
    /// install-deps.sh put it, with the hooks of Clients/contract_hooks.py
    /// (the rules OpenAPI cannot state: a time window, byte lengths).
    private static func schemathesis(points: String, in directory: URL, _ arguments: [String]) -> Process {
        let process = Process()
        // It keeps a cache of its findings in the working directory: not in the repository.
        process.currentDirectoryURL = directory
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; schemathesis()"] + arguments
        var environment = ProcessInfo.processInfo.environment
        // With CI set, Hypothesis switches to its "ci" settings profile; the
        // run is fixed by `--seed` either way, and this keeps it the same run
        // on a laptop and in CI.
        environment["CI"] = nil
        environment["SCHEMATHESIS_HOOKS"] = "contract_hooks"
        environment["WAYLINE_CONTRACT_POINTS"] = points
        environment["PYTHONPATH"] = document.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Clients").path
        process.environment = environment
        return process
    }
}
