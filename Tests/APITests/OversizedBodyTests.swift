import Foundation
import Testing

/// Every endpoint that reads a body, sent one over its limit through a real
/// socket, whole: the answer is a 413 naming the body, the connection is
/// closed after it (the rest is not worth reading), and the server goes on
/// answering new connections.
@Suite(.timeLimit(.minutes(5))) struct OversizedBodyTests {
    /// Past every limit: 1 MiB for positions, tables and fences, a value's 1 MiB and 64 KiB for the cache.
    static let size = 1_200_000

    static let endpoints = [
        "PUT /v1/locations/00000000-0000-4000-8000-000000000001/current",
        "POST /v1/locations/batch",
        "PATCH /v1/locations/00000000-0000-4000-8000-000000000001/current/attributes",
        "PUT /v1/cache/big",
        "POST /v1/cache/invalidate",
        "POST /table/v1/driving",
        "PUT /v1/geofences/big",
    ]

    @Test(arguments: [true, false])
    func everyBodyOverItsLimitIsA413AndTheConnectionCloses(announced: Bool) async throws {
        try await TestApp.with(live: true) { http, _ in
            let port = try #require(http.port)
            let token = try await TestAuth.service()
            let padding = String(repeating: " ", count: Self.size)
            let json = Array("{\"pad\": \"\(padding)\"}".utf8)
            for endpoint in Self.endpoints {
                var request = Array("\(endpoint) HTTP/1.1\r\nHost: wayline\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n".utf8)
                if announced {
                    request += Array("Content-Length: \(json.count)\r\n\r\n".utf8) + json
                } else {
                    // Chunked: the size shows only while reading.
                    request += Array("Transfer-Encoding: chunked\r\n\r\n".utf8)
                    for start in stride(from: 0, to: json.count, by: 65_536) {
                        let chunk = json[start..<min(start + 65_536, json.count)]
                        request += Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + Array("\r\n".utf8)
                    }
                    request += Array("0\r\n\r\n".utf8)
                }
                // `exchange` reads until the server closes: it fails when the connection stays open.
                let response = try await RawHTTP.exchange(port: port, request)
                #expect(response.hasPrefix("HTTP/1.1 413 "), "\(endpoint): \(response.prefix(200))")
                #expect(response.lowercased().contains("\r\nconnection: close\r\n"), "\(endpoint)")
                let body = try #require(response.range(of: "\r\n\r\n").map { response[$0.upperBound...] }, "\(endpoint)")
                let error = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [String: String]]
                #expect(error?["error"]?["field"] == "body", "\(endpoint): \(body)")

                let health = try await RawHTTP.exchange(port: port, Array("GET /health HTTP/1.1\r\nHost: wayline\r\nConnection: close\r\n\r\n".utf8))
                #expect(health.hasPrefix("HTTP/1.1 200 "), "after \(endpoint): \(health.prefix(200))")
            }
        }
    }
}
