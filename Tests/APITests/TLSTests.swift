import Foundation
import Testing
import TestSupport

/// `wayline serve` over HTTPS with `WAYLINE_TLS_CERT` and `WAYLINE_TLS_KEY`:
/// a certificate made by openssl at test time, read by curl.
@Suite(.timeLimit(.minutes(5))) struct TLSTests {
    /// A self-signed certificate for 127.0.0.1 and localhost, and its key, in a new directory.
    static func certificate() async throws -> (certificate: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (certificate, key) = ("\(directory)/cert.pem", "\(directory)/key.pem")
        let made = try await command("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ])
        #expect(made.status == 0, "\(made.errors)")
        return (certificate, key)
    }

    static func command(_ name: String, _ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        return try await WaylineProcess.finish(process, within: .seconds(60))
    }

    @Test func servesHTTPSWithTheCertificateGiven() async throws {
        let (certificate, key) = try await Self.certificate()
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let port = try LoopbackSocket.freePort()
            let server = try WaylineProcess.serve(settings, port: port, ["WAYLINE_TLS_CERT": certificate, "WAYLINE_TLS_KEY": key])
            defer { kill(server.processIdentifier, SIGKILL) }
            let url = "https://127.0.0.1:\(port)/health"
            var trusted = try await Self.command("curl", ["-sS", "--max-time", "5", "--cacert", certificate, url])
            for _ in 0..<300 where trusted.status == 7 {  // 7: nothing listens yet
                try await Task.sleep(for: .milliseconds(100))
                trusted = try await Self.command("curl", ["-sS", "--max-time", "5", "--cacert", certificate, url])
            }
            #expect(trusted.status == 0 && trusted.output.contains("ok"), "\(trusted)")
            // A client that does not trust the certificate refuses it (curl's 60).
            #expect(try await Self.command("curl", ["-sS", "--max-time", "5", url]).status == 60)
            // Plain HTTP to the TLS port gets no HTTP answer.
            let plain = try await Self.command("curl", ["-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/health"])
            #expect(plain.output != "200")
        }
    }

    @Test func halfATLSConfigurationIsRefused() async throws {
        let (certificate, _) = try await Self.certificate()
        let run = try await WaylineProcess.run(["serve"], environment: [
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "WAYLINE_JWT_SECRET": TestAuth.secret, "WAYLINE_TLS_CERT": certificate,
        ], within: .seconds(60))
        #expect(run.status != 0 && run.errors.contains("WAYLINE_TLS_CERT and WAYLINE_TLS_KEY go together"), "\(run)")
    }
}
