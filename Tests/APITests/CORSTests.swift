import API
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport

/// CORS as browsers ask for it: off by default; `*` for the OSRM services
/// (as osrm-routed answers); a list of origins for every endpoint.
@Suite(.timeLimit(.minutes(5))) struct CORSTests {
    static let route = "/route/v1/driving/7.4213,43.7366;7.4280,43.7395"
    static let nearby = "/v1/nearby?lat=43.73&lng=7.42&radius_m=500"

    static func server(_ origins: String?) throws -> ServerSettings {
        var server = ServerSettings()
        server.cors = try origins.flatMap { try CORSPolicy($0) }
        return server
    }

    static func preflight(_ http: any TestClientProtocol, _ uri: String, origin: String) async throws -> HTTPResponse {
        try await http.execute(uri: uri, method: .options, headers: [.origin: origin, .accessControlRequestMethod: "GET",
                                                                     .accessControlRequestHeaders: "authorization"]) { $0.head }
    }

    static func get(_ http: any TestClientProtocol, _ uri: String, origin: String) async throws -> HTTPResponse {
        try await http.execute(uri: uri, method: .get, headers: [.origin: origin]) { $0.head }
    }

    @Test func offByDefault() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await TestApp.on(settings, server: try Self.server(nil)) { http in
                let preflight = try await Self.preflight(http, Self.route, origin: "https://maps.example")
                let answer = try await Self.get(http, Self.route, origin: "https://maps.example")
                #expect(preflight.headerFields[.accessControlAllowOrigin] == nil && answer.headerFields[.accessControlAllowOrigin] == nil)
                // JSON answers are never sniffed as anything else; the server names no version.
                #expect(answer.headerFields[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(answer.headerFields[.server].map { !$0.contains(where: \.isNumber) } ?? true)
            }
        }
    }

    @Test func anyOriginReachesTheOSRMServicesOnly() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await TestApp.on(settings, server: try Self.server("*")) { http in
                for uri in [Self.route, "/table/v1/driving/7.42,43.73;7.43,43.74", "/trip/v1/driving/7.42,43.73;7.43,43.74"] {
                    let preflight = try await Self.preflight(http, uri, origin: "https://maps.example")
                    #expect(preflight.status == .noContent, "\(uri)")
                    #expect(preflight.headerFields[.accessControlAllowOrigin] == "*")
                    #expect(preflight.headerFields[.accessControlAllowHeaders]?.contains("Authorization") == true)
                    #expect(preflight.headerFields[.accessControlAllowMethods]?.contains("GET") == true)
                    #expect(try await Self.get(http, uri, origin: "https://maps.example").headerFields[.accessControlAllowOrigin] == "*")
                }
                #expect(try await Self.preflight(http, Self.nearby, origin: "https://maps.example").headerFields[.accessControlAllowOrigin] == nil)
                #expect(try await Self.get(http, Self.nearby, origin: "https://maps.example").headerFields[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test func listedOriginsReachEveryEndpointAndAnswersVary() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await TestApp.on(settings, server: try Self.server("https://maps.example, http://localhost:5173")) { http in
                for uri in [Self.route, Self.nearby] {
                    let preflight = try await Self.preflight(http, uri, origin: "https://maps.example")
                    #expect(preflight.status == .noContent && preflight.headerFields[.accessControlAllowOrigin] == "https://maps.example", "\(uri)")
                    #expect(preflight.headerFields[.vary] == "Origin")
                    let allowed = try await Self.get(http, uri, origin: "http://localhost:5173")
                    #expect(allowed.headerFields[.accessControlAllowOrigin] == "http://localhost:5173" && allowed.headerFields[.vary] == "Origin")
                    let other = try await Self.get(http, uri, origin: "https://evil.example")
                    #expect(other.headerFields[.accessControlAllowOrigin] == nil && other.headerFields[.vary] == "Origin", "\(uri)")
                    #expect(try await Self.preflight(http, uri, origin: "https://evil.example").headerFields[.accessControlAllowOrigin] == nil)
                }
            }
        }
    }

    @Test func badSettingsAreRefused() throws {
        #expect(try CORSPolicy("") == nil && (try CORSPolicy(" , ")) == nil)
        for bad in ["maps.example", "https://maps.example/path", "https://*.example", "ftp://maps.example"] {
            let error = #expect(throws: CORSSettingError.self) { try CORSPolicy(bad) }
            #expect(error?.origin == bad)
        }
    }
}
