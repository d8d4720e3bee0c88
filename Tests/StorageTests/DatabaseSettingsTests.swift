import Storage
import Testing

@Suite(.timeLimit(.minutes(5))) struct DatabaseSettingsTests {
    @Test func parsesTCPURLs() throws {
        let settings = try DatabaseSettings(url: "postgresql://alice:s%3Acret@db.example:6432/maps?sslmode=require")
        #expect(settings.endpoint == .tcp(host: "db.example", port: 6432))
        #expect(settings.username == "alice")
        #expect(settings.password == "s:cret")
        #expect(settings.database == "maps")
        #expect(settings.tls == .require)
    }

    @Test func parsesUnixSocketURLs() throws {
        let settings = try DatabaseSettings(url: "postgresql://wayline@/wayline?host=/tmp/sock")
        #expect(settings.endpoint == .unixSocket(path: "/tmp/sock/.s.PGSQL.5432"))
        #expect(settings.database == "wayline")
    }

    @Test func defaultsFollowLibpq() throws {
        let settings = try DatabaseSettings(url: "postgres://bob@localhost")
        #expect(settings.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(settings.database == "bob")
        #expect(settings.tls == .prefer)
    }

    @Test(arguments: ["mysql://a@b/c", "not a url", "postgres://a@b/c?sslmode=sometimes", "postgres:///db"])
    func rejectsInvalidURLs(url: String) {
        #expect(throws: DatabaseURLError.self) { try DatabaseSettings(url: url) }
    }

    @Test func errorsNeverEchoThePassword() {
        do {
            _ = try DatabaseSettings(url: "postgres://a:hunter2@b/c?sslmode=bogus")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}
