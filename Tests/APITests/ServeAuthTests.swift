import Auth
import Foundation
import Testing
import TestSupport

/// What a newcomer meets on the command line: `serve` never runs open by
/// accident, and `wayline token` mints tokens the service accepts.
@Suite(.timeLimit(.minutes(5))) struct ServeAuthTests {
    @Test func serveWithADatabaseURLAndNoKeyRefusesToStart() async throws {
        let url = try TestDatabase.url()
        let started = Date()
        let run = try await WaylineProcess.run(["serve"], environment: [
            "DATABASE_URL": url, "WAYLINE_JWT_SECRET": nil, "WAYLINE_JWKS_FILE": nil, "WAYLINE_AUTH": nil,
        ])
        #expect(run.status != 0)
        #expect(Date().timeIntervalSince(started) < 30)
        let complaint = run.errors.split(separator: "\n").filter { !$0.isEmpty }
        #expect(complaint.count == 1)
        #expect(complaint.first?.contains("WAYLINE_JWT_SECRET") == true)
        // A secret too short for HS256 is refused the same way, and never echoed.
        let short = try await WaylineProcess.run(["serve"], environment: ["DATABASE_URL": url, "WAYLINE_JWT_SECRET": "hunter2-is-short"])
        #expect(short.status != 0)
        #expect(!(short.output + short.errors).contains("hunter2"))
    }

    @Test func mintedTokensVerifyWithTheConfiguredSecret() async throws {
        let verifier = try await TokenVerifier(secret: TestAuth.secret, jwksJSON: nil, audience: nil)
        let environment: [String: String?] = ["WAYLINE_JWT_SECRET": TestAuth.secret, "DATABASE_URL": "postgres://unused@127.0.0.1:1/x"]
        let service = try await WaylineProcess.run(["token", "--role", "service_role", "--tenant", "acme", "--ttl", "15m"], environment: environment)
        #expect(service.status == 0)
        let identity = try await verifier.verify(service.output.trimmingCharacters(in: .whitespacesAndNewlines)[...])
        #expect(identity.role == .serviceRole && identity.tenant == "acme")
        #expect(abs((identity.expiresAt ?? .distantPast).timeIntervalSinceNow - 15 * 60 - TokenVerifier.leeway) < 60)
        let user = UUID()
        let minted = try await WaylineProcess.run(["token", "--sub", user.uuidString], environment: environment)
        #expect(try await verifier.verify(minted.output.trimmingCharacters(in: .whitespacesAndNewlines)[...]).userID == user)
        #expect(try await WaylineProcess.run(["token", "--role", "authenticated"], environment: environment).status != 0)
        #expect(try await WaylineProcess.run(["token", "--role", "root"], environment: environment).status != 0)
    }

    /// The embedded default's secret: made once, mode 0600, reused.
    @Test func theEmbeddedDefaultMakesItsSecretOnceAndKeepsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-secret-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment: [String: String?] = ["WAYLINE_DATA_DIR": directory, "DATABASE_URL": nil, "WAYLINE_JWT_SECRET": nil]
        let first = try await WaylineProcess.run(["token"], environment: environment)
        let second = try await WaylineProcess.run(["token"], environment: environment)
        #expect(first.status == 0 && second.status == 0)
        let file = SigningSecret.path(dataDirectory: directory)
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let verifier = try await TokenVerifier(secret: try String(contentsOfFile: file, encoding: .utf8), jwksJSON: nil, audience: nil)
        for token in [first.output, second.output] {
            #expect(try await verifier.verify(token.trimmingCharacters(in: .whitespacesAndNewlines)[...]).role == .serviceRole)
        }
    }
}
