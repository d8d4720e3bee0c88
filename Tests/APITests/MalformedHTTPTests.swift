import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Bytes that are not HTTP, sent over a real socket: only a live server's
/// parser can meet them.
@Suite struct MalformedHTTPTests {
    @Test func aBodyThatIsNotValidHTTPIsA400NamingTheBody() async throws {
        let router = Router()
        router.add(middleware: ErrorMiddleware())
        router.put("echo") { request, _ in
            String(buffer: try await request.body.collect(upTo: 1_000))
        }
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let valid = try exchange(port: port, "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n")
            #expect(valid.hasPrefix("HTTP/1.1 200"))
            #expect(valid.hasSuffix("\r\n\r\nok"))

            // "zz" is no chunk size: chunk sizes are hexadecimal.
            let broken = try exchange(port: port, "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok\r\nzz\r\n\r\n")
            #expect(broken.hasPrefix("HTTP/1.1 400"))
            let body = try #require(broken.range(of: "\r\n\r\n").map { broken[$0.upperBound...] })
            let error = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [String: String]])["error"]
            #expect(error?["code"] == "malformed_http")
            #expect(error?["field"] == "body")
            #expect(error?["message"]?.contains("chunk size") == true)
        }
    }

    /// Sends `request` to 127.0.0.1:`port` and reads until the server closes.
    private func exchange(port: Int, _ request: String) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let bytes = Array(request.utf8)
        try #require(send(socket, bytes, bytes.count, 0) == bytes.count)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(socket, &chunk, chunk.count, 0)
            guard count > 0 else { break }
            received += chunk[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
