import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The events feed as Server-Sent Events, against `wayline serve` as a user
/// runs it, over plain HTTP/1.1 sockets: events already in the feed and
/// events written while the stream is open arrive in order with their
/// cursors as ids, `Last-Event-ID` resumes after one, and SIGTERM ends the
/// open streams, so that shutdown does not wait for them.
@Suite(.timeLimit(.minutes(5))) struct GeofenceEventStreamTests {
    @Test func eventsStreamInOrderResumeAfterTheLastIDAndEndOnShutdown() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let port = try LoopbackSocket.freePort()
            let server = try WaylineProcess.serve(settings, port: port)
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            try await ObservabilityTests.waitUntilReady(port: port)
            let token = try await TestAuth.service()
            func send(_ method: String, _ path: String, _ body: String) throws -> String {
                let socket = try LoopbackSocket(port: port)
                try socket.send(
                    "\(method) \(path) HTTP/1.1\r\nHost: wayline\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                )
                return socket.receiveAll()
            }
            func stream(lastEventID: String? = nil) throws -> LoopbackSocket {
                let socket = try LoopbackSocket(port: port)
                try socket.send(
                    "GET /v1/geofences/events HTTP/1.1\r\nHost: wayline\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n"
                        + (lastEventID.map { "Last-Event-ID: \($0)\r\n" } ?? "") + "Connection: close\r\n\r\n"
                )
                return socket
            }
            let driver = UUID().uuidString.lowercased()
            func move(_ lat: Double) throws {
                #expect(try send("PUT", "/v1/locations/\(driver)/current", #"{"lat": \#(lat), "lng": 7.42}"#).hasPrefix("HTTP/1.1 200"))
            }
            #expect(try send("PUT", "/v1/geofences/zone", #"{"circle": {"lat": 43.73, "lng": 7.42, "radius_m": 200}}"#).hasPrefix("HTTP/1.1 201"))
            try move(43.70)
            try move(43.73)  // enter: in the feed before the stream opens
            let whole = try stream()
            try await Task.sleep(for: .milliseconds(500))
            try move(43.70)  // exit: written while it is open
            try await Task.sleep(for: .milliseconds(500))
            // Without the Accept, the JSON page as before; its cursor after the first event is that event's id.
            let page = try send("GET", "/v1/geofences/events?limit=1", "")
            #expect(page.hasPrefix("HTTP/1.1 200"))
            let body = try #require(page.range(of: "\r\n\r\n").map { page[$0.upperBound...] })
            let first = try #require((try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["next_after"] as? String)
            let resumed = try stream(lastEventID: first)
            try await Task.sleep(for: .milliseconds(500))

            let clock = ContinuousClock()
            let asked = clock.now
            kill(server.processIdentifier, SIGTERM)
            let wholeText = whole.receiveAll()
            let resumedText = resumed.receiveAll()
            while server.isRunning, clock.now - asked < .seconds(30) { try await Task.sleep(for: .milliseconds(50)) }
            let took = clock.now - asked
            try #require(!server.isRunning, "still running \(took) after SIGTERM")
            #expect(took < .seconds(5), "an open stream held shutdown for \(took)")
            #expect(server.terminationStatus == 0)

            #expect(wholeText.hasPrefix("HTTP/1.1 200") && wholeText.lowercased().contains("content-type: text/event-stream"), "\(wholeText)")
            let events = Self.events(wholeText)
            #expect(events.map(\.event) == ["enter", "exit"], "\(wholeText)")
            #expect(events.first?.id == first)
            #expect(events.map(\.type) == ["geofence", "geofence"])
            #expect(Set(events.map(\.id)).count == 2)
            #expect(Self.events(resumedText).map(\.event) == ["exit"], "\(resumedText)")
            #expect(Self.events(resumedText).map(\.id) == events.dropFirst().map(\.id))
        }
    }

    /// Streams open at once per subject are bounded: one more is 429 naming
    /// `accept`, another subject still gets its own, and a stream its client
    /// left gives its slot back once the server notices (its next keep-alive).
    @Test func streamsPerSubjectAreBounded() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let port = try LoopbackSocket.freePort()
            let server = try WaylineProcess.serve(settings, port: port, ["WAYLINE_SSE_STREAMS_PER_SUBJECT": "2"])
            defer { kill(server.processIdentifier, SIGKILL) }
            try await ObservabilityTests.waitUntilReady(port: port)
            let (token, other) = (try await TestAuth.service(), try await TestAuth.service(tenant: "other"))
            func open(_ token: String) throws -> LoopbackSocket {
                let socket = try LoopbackSocket(port: port)
                try socket.send(
                    "GET /v1/geofences/events HTTP/1.1\r\nHost: wayline\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n"
                        + "Connection: close\r\n\r\n"
                )
                return socket
            }
            var first: LoopbackSocket? = try open(token)
            let second = try open(token)
            #expect(first?.receiveSome().hasPrefix("HTTP/1.1 200") == true)
            #expect(second.receiveSome().hasPrefix("HTTP/1.1 200"))
            let third = try open(token).receiveAll()
            #expect(third.hasPrefix("HTTP/1.1 429") && third.contains(#""code":"too_many_streams""#) && third.contains(#""field":"accept""#), "\(third)")
            let elsewhere = try open(other)
            #expect(elsewhere.receiveSome().hasPrefix("HTTP/1.1 200"))
            first = nil
            let clock = ContinuousClock()
            let left = clock.now
            var again = try open(token).receiveSome()
            while !again.hasPrefix("HTTP/1.1 200"), clock.now - left < .seconds(40) {
                try await Task.sleep(for: .seconds(1))
                again = try open(token).receiveSome()
            }
            #expect(again.hasPrefix("HTTP/1.1 200"), "\(again)")
            withExtendedLifetime((second, elsewhere)) {}
        }
    }

    @Test func aBadLastEventIDIsRefusedNamingIt() async throws {
        try await TestApp.with { http, _ in
            try await http.execute(
                uri: "/v1/geofences/events", method: .get, headers: [.accept: "text/event-stream", .init("Last-Event-ID")!: "yesterday"]
            ) { response in
                #expect(response.status == .badRequest)
                let error = try TestApp.json(response.body)["error"] as? [String: Any]
                #expect(error?["field"] as? String == "Last-Event-ID")
            }
        }
    }

    /// The messages of a stream as sent: `id`, `event` and the `event` field of the `data` JSON.
    private static func events(_ text: String) -> [(id: String, type: String, event: String)] {
        var found: [(String, String, String)] = []
        var (id, type) = ("", "")
        for line in text.split(separator: "\r\n").flatMap({ $0.split(separator: "\n") }) {
            if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
            if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
            if line.hasPrefix("data: "), let json = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any] {
                found.append((id, type, json["event"] as? String ?? "?"))
            }
        }
        return found
    }
}
