import API
import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport
import Webhooks

/// Webhooks never reach inside the network (OWASP API7): internal addresses
/// are refused when a fence is written, naming `webhook.url`, and again when
/// an event is delivered; http only to allowed networks.
@Suite(.timeLimit(.minutes(5))) struct WebhookDestinationTests {
    /// A policy that allows a documentation range only: loopback is refused, as in production.
    static var strict: ServerSettings {
        var server = ServerSettings()
        server.webhooks = WebhookPolicy(allowedNetworks: [IPNetwork("198.51.100.0/24")!])
        return server
    }

    static let refused = [
        "http://169.254.169.254/latest/meta-data", "https://169.254.169.254/latest/meta-data", "https://127.0.0.1/hook",
        "https://127.1.2.3:8443/hook", "https://[::1]/hook", "https://10.1.2.3/", "https://172.16.0.1/", "https://172.31.255.255/",
        "https://192.168.1.1/", "https://100.64.0.1/", "https://224.0.0.1/", "https://0.0.0.0/", "https://[fc00::1]/",
        "https://[fd12:3456::1]/", "https://[fe80::1]/", "https://[ff02::1]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:10.0.0.1]/",
        "https://[64:ff9b::a9fe:a9fe]/", "https://localhost/hook", "http://hooks.example/hook", "http://93.184.216.34/hook",
    ]
    static let accepted = ["https://93.184.216.34/hook", "https://hooks.example/geo", "https://[2606:2800:220:1::1]/", "http://198.51.100.7/hook"]

    @Test func internalDestinationsAreRefusedNamingTheField() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await TestApp.on(settings, server: Self.strict) { http in
                for url in Self.refused {
                    let body = #"{"circle": {"lat": 1, "lng": 2, "radius_m": 50}, "webhook": {"url": "\#(url)", "secret": "0123456789abcdef"}}"#
                    let (status, answer) = try await GeofenceAPITests.put(http, "f", body)
                    #expect(status == .badRequest, "\(url)")
                    #expect((answer["error"] as? [String: Any])?["field"] as? String == "webhook.url", "\(url): \(answer)")
                }
                try await http.execute(uri: "/v1/geofences/f", method: .get) { #expect($0.status == .notFound) }  // nothing stored
                for url in Self.accepted {
                    let body = #"{"circle": {"lat": 1, "lng": 2, "radius_m": 50}, "webhook": {"url": "\#(url)", "secret": "0123456789abcdef"}}"#
                    #expect(try await GeofenceAPITests.put(http, "f", body).0.code < 300, "\(url)")
                }
            }
        }
    }

    /// A fence stored while loopback was allowed: an instance that does not
    /// allow it refuses to deliver there, and says why in the message's last error.
    @Test func deliveryChecksTheDestinationAgain() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await TestDatabase.withMigratedDatabaseSettings { settings in
                try await TestApp.on(settings) { http in
                    let (status, _) = try await GeofenceAPITests.put(http, "zone", GeofenceWebhookTests.fence(url))
                    #expect(status == .created)
                }
                try await TestApp.on(settings, server: Self.strict) { http in
                    try await GeofenceWebhookTests.cross(http, UUID().uuidString.lowercased())
                    let refused = try await CacheAPITests.eventually(within: .seconds(30)) {
                        try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
                            try await client.value("SELECT count(*)::int FROM message_queue WHERE last_error LIKE '%refused%internal address%'", as: Int.self) > 0
                        }
                    }
                    #expect(refused)
                    #expect(receiver.received.isEmpty, "nothing reached the loopback receiver")
                }
            }
        }
    }

    @Test func networksParseAndContain() {
        let network = IPNetwork("10.0.0.0/8")!
        #expect(network.contains(IPAddress("10.255.0.1")!) && !network.contains(IPAddress("11.0.0.1")!))
        #expect(network.contains(IPAddress("::ffff:10.1.1.1")!), "an IPv4-mapped address is judged by its IPv4 one")
        #expect(IPNetwork("fc00::/7")!.contains(IPAddress("fdff::1")!) && !IPNetwork("fc00::/7")!.contains(IPAddress("fe00::1")!))
        #expect(IPNetwork("172.16.0.0/12")!.contains(IPAddress("172.31.1.1")!) && !IPNetwork("172.16.0.0/12")!.contains(IPAddress("172.32.0.1")!))
        for bad in ["10.0.0.0/33", "::/129", "10.0.0/8", "example.com/8", "10.0.0.0/x", ""] { #expect(IPNetwork(bad) == nil, "\(bad)") }
        #expect(IPNetwork("127.0.0.1")?.description == "127.0.0.1/32")
    }
}
