@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport
import Testing

/// Bytes that are not HTTP, sent over a real socket to a server built as the
/// service builds its own: only a live server's parser can meet them.
@Suite(.timeLimit(.minutes(5))) struct MalformedHTTPTests {
    @Test func aBodyThatIsNotValidHTTPIsA400NamingTheBody() async throws {
        try await withServer { port in
            let valid = try await exchange(port: port, "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n")
            #expect(valid.hasPrefix("HTTP/1.1 200"))
            #expect(valid.hasSuffix("\r\n\r\nok"))

            // "zz" is no chunk size: chunk sizes are hexadecimal.
            let broken = try await exchange(port: port, "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok\r\nzz\r\n\r\n")
            let error = try Self.error(broken, status: "400")
            #expect(error["code"] == "malformed_http")
            #expect(error["field"] == "body")
            #expect(error["message"]?.contains("chunk size") == true)
        }
    }

    @Test func aHeadThatIsNotHTTPIsA400NamingTheHead() async throws {
        try await withServer { port in
            let error = try Self.error(try await exchange(port: port, "GET / NOT-HTTP\r\n\r\n"), status: "400")
            #expect(error["code"] == "malformed_http")
            #expect(error["field"] == "head")
        }
    }

    @Test func aHeadOverTheLimitIsA431() async throws {
        try await withServer { port in
            let query = String(repeating: "9", count: MalformedRequest.headLimitBytes)
            let error = try Self.error(try await exchange(port: port, "GET /echo?radius_m=\(query) HTTP/1.1\r\nHost: x\r\n\r\n"), status: "431")
            #expect(error["code"] == "head_too_large")
            #expect(error["field"] == "head")
        }
    }

    /// The error is answered in turn: after the request read before it.
    @Test func aRequestBeforeTheMalformedHeadIsAnsweredFirst() async throws {
        try await withServer { port in
            let answers = try await exchange(port: port, "PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirstGET / NOT-HTTP\r\n\r\n")
            #expect(answers.hasPrefix("HTTP/1.1 200"))
            let second = try #require(answers.range(of: "firstHTTP/1.1 ").map { String(answers[$0.upperBound...]) })
            let error = try Self.error("HTTP/1.1 " + second, status: "400")
            #expect(error["code"] == "malformed_http")
        }
    }

    /// Refused for its size, a body is not read to its end: the 413 says
    /// the connection closes, and it does (`exchange` fails when the server
    /// keeps it open, waiting for the rest).
    @Test func aBodyOverTheLimitIsA413AndTheConnectionCloses() async throws {
        try await withServer { port in
            let announced = try await exchange(port: port, "PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n{")
            let chunked = try await exchange(
                port: port, "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n\(String(repeating: " ", count: 2_000))\r\n"
            )
            for response in [announced, chunked] {
                let error = try Self.error(response, status: "413")
                #expect(error["code"] == "body_too_large")
                #expect(error["field"] == "body")
                #expect(response.lowercased().contains("\r\nconnection: close\r\n"))
            }
        }
    }

    /// A server as the service builds one (`ApplicationBuilder.server`, the
    /// same responders and error middleware) around a route that echoes the body.
    private func withServer(_ test: @escaping @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        // The middleware's database monitor is never run here: no route reaches a database.
        let nowhere = PostgresClient(configuration: .init(unixSocketPath: "/nonexistent", username: "x", password: nil, database: nil))
        router.add(middleware: ErrorMiddleware(health: DatabaseHealth(client: nowhere, logger: TestDatabase.logger)))
        router.put("echo") { request, _ in
            String(buffer: try await request.collectBody(upTo: 1_000))
        }
        let app = Application(responder: MalformedRequestResponder(next: router.buildResponder()), server: ApplicationBuilder.server(ServerSettings()))
        try await app.test(.live) { client in try await test(try #require(client.port)) }
    }

    /// The JSON error of the one answer `response` holds, after checking its status.
    private static func error(_ response: String, status: String) throws -> [String: String] {
        #expect(response.hasPrefix("HTTP/1.1 \(status) "), "\(response.prefix(80))")
        let body = try #require(response.range(of: "\r\n\r\n").map { response[$0.upperBound...] })
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [String: String]]
        return try #require(json?["error"])
    }

    private func exchange(port: Int, _ request: String) async throws -> String {
        try await RawHTTP.exchange(port: port, Array(request.utf8))
    }
}
