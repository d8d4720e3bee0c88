import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `wayline serve` as a user runs it (the binary `make test` builds), stopped
/// with SIGTERM while a client holds a request half sent.
@Suite(.timeLimit(.minutes(5))) struct ServeShutdownTests {
    @Test func aStalledRequestDoesNotHoldShutdown() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let url = try TestDatabase.url(database: settings.database)
            let port = try LoopbackSocket.freePort()
            let server = WaylineProcess.make(["serve"], environment: [
                "DATABASE_URL": url, "WAYLINE_JWT_SECRET": TestAuth.secret, "WAYLINE_PORT": "\(port)", "WAYLINE_LOG_LEVEL": "critical",
            ])
            try server.run()
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }

            try await waitUntilServing(port: port)
            // Headers and part of a body: the handler waits for the rest.
            let stalled = try LoopbackSocket(port: port)
            try stalled.send(
                "PUT /v1/locations/00000000-0000-4000-8000-000000000001/current HTTP/1.1\r\nHost: wayline\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"lat\":"
            )
            try await Task.sleep(for: .milliseconds(300))

            let clock = ContinuousClock()
            let asked = clock.now
            kill(server.processIdentifier, SIGTERM)
            // The client never finishes the request and keeps the connection
            // open throughout: without a bound, shutdown waits for it.
            while server.isRunning, clock.now - asked < .seconds(30) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let took = clock.now - asked
            withExtendedLifetime(stalled) {}
            try #require(!server.isRunning, "still running \(took) after SIGTERM")
            #expect(took < .seconds(15), "stopped \(took) after SIGTERM")
            #expect(server.terminationStatus == 0)
        }
    }

    private func waitUntilServing(port: Int) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(60) {
            if let socket = try? LoopbackSocket(port: port) {
                try socket.send("GET /health HTTP/1.1\r\nHost: wayline\r\nConnection: close\r\n\r\n")
                if socket.receiveAll().hasPrefix("HTTP/1.1 200") { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("wayline serve did not answer /health on port \(port) within 60 s")
    }
}

/// A TCP connection to 127.0.0.1, closed when released.
final class LoopbackSocket {
    struct Failure: Error {
        let call: String
        let code = errno
    }

    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(call: "socket") }
        // No read or write waits for ever: a peer that stops answering fails the test instead of hanging it.
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = Self.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(call: "connect")
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw Failure(call: "send") }
    }

    /// Everything until the peer closes (or 15 s pass with nothing to read).
    func receiveAll() -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while case let count = recv(descriptor, &chunk, chunk.count, 0), count > 0 { received += chunk[..<count] }
        return String(decoding: received, as: UTF8.self)
    }

    /// What one read returns: the first bytes of an answer that does not end (a stream).
    func receiveSome() -> String {
        var chunk = [UInt8](repeating: 0, count: 4_096)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        return count > 0 ? String(decoding: chunk[..<count], as: UTF8.self) : ""
    }

    /// A port nothing listens on now (the kernel's pick for an ephemeral bind).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw Failure(call: "bind") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
