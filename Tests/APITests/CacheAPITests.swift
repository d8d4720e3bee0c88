import API
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// The cache API through whole applications against a real PostGIS: one
/// instance, and two sharing a database for coherence.
@Suite(.timeLimit(.minutes(5))) struct CacheAPITests {
    static func put(_ http: any TestClientProtocol, _ key: String, _ body: String) async throws -> HTTPResponse.Status {
        try await http.execute(uri: "/v1/cache/\(key)", method: .put, body: ByteBuffer(string: body)) { $0.status }
    }

    /// The entry's body, or nil on 404.
    static func get(_ http: any TestClientProtocol, _ key: String) async throws -> [String: Any]? {
        try await http.execute(uri: "/v1/cache/\(key)", method: .get) { response in
            if response.status == .notFound { return nil }
            #expect(response.status == .ok)
            return try TestApp.json(response.body)
        }
    }

    static func invalidate(_ http: any TestClientProtocol, _ tags: [String]) async throws -> Int? {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["tags": tags]), as: UTF8.self)
        return try await http.execute(uri: "/v1/cache/invalidate", method: .post, body: ByteBuffer(string: body)) {
            try TestApp.json($0.body)["invalidated"] as? Int
        }
    }

    static func instance(_ http: any TestClientProtocol) async throws -> [String: Any] {
        try await http.execute(uri: "/v1/cache/stats", method: .get) { try TestApp.json($0.body)["instance"] as? [String: Any] ?? [:] }
    }

    /// Waits until the instance listens for other instances' changes; until
    /// then it serves nothing from memory.
    static func coherent(_ http: any TestClientProtocol) async throws -> Bool {
        try await eventually { try await instance(http)["coherent"] as? Bool == true }
    }

    /// Polls until `condition` holds, for changes that reach another instance
    /// asynchronously; the bound only keeps a broken build from hanging.
    /// On a loaded machine (parallel suites, a build beside them) a network
    /// build or a notification takes seconds: the bound is generous, since a
    /// passing test never waits it out.
    static func eventually(within bound: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + bound
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// One operation in a hundred (the default) goes to seed 000's
    /// `cache_performance_log`, written within the flush interval.
    @Test func aSampleOfOperationsIsLogged() async throws {
        try await TestApp.with { http, settings in
            #expect(try await Self.put(http, "sampled", #"{"value": 1}"#) == .ok)
            for _ in 0..<199 { #expect(try await Self.get(http, "sampled") != nil) }
            try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
                var rows: [(String, String)] = []
                for _ in 0..<100 where rows.count < 2 {
                    try await Task.sleep(for: .milliseconds(100))
                    rows = try await client.query("SELECT cache_key, operation FROM cache_performance_log ORDER BY operation")
                        .collect().map { try $0.decode((String, String).self) }
                }
                #expect(rows.count == 2 && rows.allSatisfy { $0.0 == "sampled" }, "\(rows)")
                #expect(rows.map(\.1) == ["HIT", "SET"], "\(rows)")
            }
        }
    }

    @Test func setGetDeleteKeepTheValueAsSent() async throws {
        try await TestApp.with { http, _ in
            #expect(try await Self.coherent(http))
            let value = #"{"big": 12345678901234567890, "price": 1.50, "nested": [true, null, "x\"y"]}"#
            let status = try await Self.put(http, "order%2F42%20%C3%A9", #"{"value": \#(value), "ttl_s": 60, "type": "orders", "tags": ["a", "b", "a"]}"#)
            #expect(status == .ok)
            // The first read fills memory; the set's own notification may still
            // drop that copy, so read until one read has come from memory.
            let servedFromMemory = try await Self.eventually {
                _ = try await Self.get(http, "order%2F42%20%C3%A9")
                return try await Self.instance(http)["memory_hits"] as? Int ?? 0 > 0
            }
            #expect(servedFromMemory)
            do {
                let entry = try await Self.get(http, "order%2F42%20%C3%A9")
                #expect(entry?["key"] as? String == "order/42 é")
                #expect(entry?["type"] as? String == "orders")
                #expect(entry?["tags"] as? [String] == ["a", "b"])
                let stored = entry?["value"] as? [String: Any]
                #expect((stored?["big"] as? NSNumber)?.description == "12345678901234567890")
                #expect(stored?["price"] as? Double == 1.5)
                #expect((stored?["nested"] as? [Any])?.count == 3)
                let expiresAt = (entry?["expires_at"] as? String).flatMap { ISO8601DateFormatter.withFractions.date(from: $0) }
                #expect(expiresAt.map { abs($0.timeIntervalSinceNow - 60) < 10 } == true)
            }

            try await http.execute(uri: "/v1/cache/order%2F42%20%C3%A9", method: .delete) { #expect($0.status == .noContent) }
            let gone = try await Self.get(http, "order%2F42%20%C3%A9")
            #expect(gone == nil)
            try await http.execute(uri: "/v1/cache/order%2F42%20%C3%A9", method: .delete) { #expect($0.status == .notFound) }
        }
    }

    @Test func expiredEntriesAreNeverServed() async throws {
        try await TestApp.with { http, settings in
            // The expiry the server set (its clock is this machine's): on a
            // loaded machine the write itself can take long enough that three
            // seconds after sending it the entry is still rightly alive.
            let answered = try await http.execute(uri: "/v1/cache/short", method: .put, body: ByteBuffer(string: #"{"value": 1, "ttl_s": 3}"#)) {
                response in
                #expect(response.status == .ok)
                return (try TestApp.json(response.body)["expires_at"] as? String).flatMap { ISO8601DateFormatter.withFractions.date(from: $0) }
            }
            let expiresAt = try #require(answered)
            let early = try await Self.get(http, "short")  // now held in memory too
            // On a loaded machine the read may come after the expiry; then it must not find it.
            if expiresAt.timeIntervalSinceNow > 1 { #expect(early != nil) }
            try await Task.sleep(for: .seconds(max(0, expiresAt.timeIntervalSinceNow) + 0.2))
            #expect(try await Self.get(http, "short") == nil)
            // The row is still there until cleanup; the seed's reader agrees it is dead.
            let seedValue = try await TestApp.sql(settings) { try await $0.value("SELECT get_cache('short') IS NULL", as: Bool.self) }
            #expect(seedValue)
        }
    }

    @Test func invalidationDropsEveryEntryCarryingATag() async throws {
        try await TestApp.with { http, settings in
            for index in 0..<30 {
                let tags = index % 3 == 0 ? #"["driver:42", "zone:\#(index)"]"# : #"["zone:\#(index)"]"#
                #expect(try await Self.put(http, "k\(index)", #"{"value": \#(index), "tags": \#(tags)}"#) == .ok)
                _ = try await Self.get(http, "k\(index)")
            }
            #expect(try await Self.invalidate(http, ["driver:42", "zone:1"]) == 11)
            for index in 0..<30 {
                let found = try await Self.get(http, "k\(index)")
                #expect((found == nil) == (index % 3 == 0 || index == 1), "k\(index)")
            }
            let live = try await TestApp.sql(settings) {
                try await $0.value("SELECT live_count::int FROM cache_stats WHERE cache_type = 'general'", as: Int.self)
            }
            #expect(live == 19)
            #expect(try await Self.invalidate(http, ["nobody"]) == 0)
        }
    }

    /// The race the tag versions exist for: a set whose statement began before
    /// an invalidation of its tag, but committed after it (so the invalidation's
    /// DELETE could not see the row), must not survive.
    @Test func aSetThatBeganBeforeAnInvalidationDoesNotSurviveIt() async throws {
        try await TestApp.with { http, settings in
            try await TestApp.sql(settings) { client in
                try await client.withConnection { slowWriter in
                    try await client.withConnection { guardian in
                        try await slowWriter.query("BEGIN", logger: TestDatabase.logger)
                        try await slowWriter.query("SELECT set_cache('raced', '\"old\"'::jsonb, 60, 'general', ARRAY['t'])", logger: TestDatabase.logger)
                        #expect(try await Self.invalidate(http, ["t"]) == 0, "the uncommitted row is invisible to the DELETE")
                        // The instance's cache cleanup (a job every 10 s) deletes dead rows: kept out
                        // until the checks are done by a lock its DELETE waits for, queued before the
                        // commit so that the lock is held from the moment the row is visible.
                        try await guardian.query("BEGIN", logger: TestDatabase.logger)
                        let locked = Task { try await guardian.query("LOCK TABLE cache_entries IN SHARE ROW EXCLUSIVE MODE", logger: TestDatabase.logger) }
                        try await Task.sleep(for: .milliseconds(100))
                        try await slowWriter.query("COMMIT", logger: TestDatabase.logger)
                        _ = try await locked.value
                        let stillThere = try await guardian.query("SELECT count(*)::int FROM cache_entries WHERE key = 'raced'", logger: TestDatabase.logger)
                            .collect().first?.decode(Int.self)
                        #expect(stillThere == 1, "the row exists, so only the read-side check can hide it")
                        let seedReads = try await guardian.query("SELECT get_cache('raced') IS NULL", logger: TestDatabase.logger).collect().first?.decode(Bool.self)
                        #expect(seedReads == true)
                        #expect(try await Self.get(http, "raced") == nil)
                        try await guardian.query("COMMIT", logger: TestDatabase.logger)
                    }
                }
            }

            // A set that begins after the invalidation is a new value and stays.
            #expect(try await Self.put(http, "raced", #"{"value": "new", "tags": ["t"]}"#) == .ok)
            #expect(try await Self.get(http, "raced")?["value"] as? String == "new")
        }
    }

    /// Many sets and invalidations of one tag at once, timed on the client:
    /// a set that finished before some invalidation started must be gone; a
    /// set that started after every invalidation finished must be there.
    @Test func concurrentSetsAndInvalidationsAreLinearizable() async throws {
        try await TestApp.with { http, _ in
            let clock = ContinuousClock()
            typealias Span = (key: String?, start: ContinuousClock.Instant, end: ContinuousClock.Instant)
            // One set before everything and one after: cases the timings always decide.
            let before = clock.now
            #expect(try await Self.put(http, "c-first", #"{"value": 0, "tags": ["shared"]}"#) == .ok)
            var spans: [Span] = [("c-first", before, clock.now)]
            spans += try await withThrowingTaskGroup(of: Span.self) { group in
                for round in 0..<60 {
                    group.addTask {
                        // Staggered, so that some operations do not overlap at all.
                        try await Task.sleep(for: .milliseconds(round * 3))
                        let start = clock.now
                        if round % 3 == 0 {
                            // One that did not answer 200 (a 504 past the
                            // deadline under load) may take effect at any time
                            // later, or not at all: it decides nothing.
                            guard try await Self.invalidate(http, ["shared"]) != nil else { return ("?", start, start) }
                            return (nil, start, clock.now)
                        }
                        #expect(try await Self.put(http, "c\(round)", #"{"value": \#(round), "tags": ["shared"]}"#) == .ok)
                        return ("c\(round)", start, clock.now)
                    }
                }
                return try await group.reduce(into: [Span]()) { $0.append($1) }
            }
            let after = clock.now
            #expect(try await Self.put(http, "c-last", #"{"value": 0, "tags": ["shared"]}"#) == .ok)
            spans.append(("c-last", after, clock.now))
            let invalidations = spans.filter { $0.key == nil }
            let undecided = spans.contains { $0.key == "?" }
            var decided = 0
            for set in spans {
                guard let key = set.key, key != "?" else { continue }
                let present = try await Self.get(http, key) != nil
                if invalidations.contains(where: { $0.start > set.end }) {
                    #expect(!present, "\(key) was written before an invalidation began")
                    decided += 1
                } else if !undecided, invalidations.allSatisfy({ $0.end < set.start }) {
                    #expect(present, "\(key) was written after every invalidation")
                    decided += 1
                }
            }
            if !undecided { #expect(decided >= 2, "the first and last sets are always decided") }
        }
    }

    @Test func twoInstancesStayCoherent() async throws {
        try await TestApp.withTwo { first, second, _ in
            #expect(try await Self.coherent(first))
            #expect(try await Self.coherent(second))
            #expect(try await Self.put(first, "shared", #"{"value": 1, "tags": ["zone:7"]}"#) == .ok)
            // The write's own notification may still drop the second's first copy; later reads come from memory.
            let servedFromMemory = try await Self.eventually {
                let value = try await Self.get(second, "shared")?["value"] as? Int
                let memoryHits = try await Self.instance(second)["memory_hits"] as? Int ?? 0
                return value == 1 && memoryHits > 0
            }
            #expect(servedFromMemory)

            // A new value written on one instance replaces the other's copy.
            #expect(try await Self.put(first, "shared", #"{"value": 2, "tags": ["zone:7"]}"#) == .ok)
            #expect(try await Self.eventually { try await Self.get(second, "shared")?["value"] as? Int == 2 })

            // Invalidation: the calling instance at once, the other on notification.
            _ = try await Self.get(first, "shared")
            #expect(try await Self.invalidate(first, ["zone:7"]) == 1)
            #expect(try await Self.get(first, "shared") == nil)
            #expect(try await Self.eventually { try await Self.get(second, "shared") == nil })

            // Deletion reaches the other instance the same way.
            #expect(try await Self.put(second, "other", #"{"value": 3}"#) == .ok)
            #expect(try await Self.get(first, "other") != nil)
            try await second.execute(uri: "/v1/cache/other", method: .delete) { #expect($0.status == .noContent) }
            #expect(try await Self.eventually { try await Self.get(first, "other") == nil })
        }
    }

    /// Notifications sent while a listener is down are lost, so an instance
    /// that loses its listening connection starts again from an empty L1.
    @Test func aListenerReconnectEmptiesTheMemoryLevel() async throws {
        try await TestApp.with { http, settings in
            #expect(try await Self.coherent(http))
            #expect(try await Self.put(http, "kept", #"{"value": 1}"#) == .ok)
            // The write's own notification may drop the first copy; read until one is kept.
            let filled = try await Self.eventually {
                _ = try await Self.get(http, "kept")
                return try await Self.instance(http)["memory_entries"] as? Int == 1
            }
            #expect(filled)
            let terminated = try await TestApp.sql(settings) { client in
                try await client.value("""
                    SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity
                    WHERE datname = current_database() AND query LIKE 'LISTEN%wayline_cache%'
                    """, as: Int.self)
            }
            #expect(terminated == 1)
            #expect(try await Self.eventually {
                let memory = try await Self.instance(http)
                return memory["coherent"] as? Bool == true && memory["memory_entries"] as? Int == 0
            })
            // Listening again, it fills its memory as before.
            let refilled = try await Self.eventually {
                _ = try await Self.get(http, "kept")
                return try await Self.instance(http)["memory_entries"] as? Int == 1
            }
            #expect(refilled)
        }
    }

    @Test func statsCountHitsAndMissesPerType() async throws {
        try await TestApp.with { http, settings in
            #expect(try await Self.put(http, "s1", #"{"value": {}, "type": "profile"}"#) == .ok)
            for _ in 0..<3 { _ = try await Self.get(http, "s1") }
            _ = try await Self.get(http, "never-set")
            let types = try await http.execute(uri: "/v1/cache/stats", method: .get) { try TestApp.json($0.body)["types"] as? [[String: Any]] ?? [] }
            let profile = types.first { $0["type"] as? String == "profile" }
            #expect(profile?["hits"] as? Int == 3 && profile?["entries"] as? Int == 1 && profile?["bytes"] as? Int == 2)
            #expect(types.first { $0["type"] as? String == "unknown" }?["misses"] as? Int == 1)
            let hitCount = try await TestApp.sql(settings) { try await $0.value("SELECT hit_count::int FROM cache_entries WHERE key = 's1'", as: Int.self) }
            #expect(hitCount == 3, "hits counted in memory reach the table")
        }
    }

    @Test(arguments: [
        (#"{"ttl_s": 5}"#, "value"), (#"{"value": 1, "ttl_s": 0}"#, "ttl_s"), (#"{"value": 1, "ttl_s": -5}"#, "ttl_s"),
        (#"{"value": 1, "ttl_s": 31536001}"#, "ttl_s"), (#"{"value": 1, "ttl_s": 1.5}"#, "ttl_s"), (#"{"value": 1, "ttl_s": "60"}"#, "ttl_s"),
        (#"{"value": 1, "ttl_s": 1e400}"#, "ttl_s"), (#"{"value": 1e400}"#, "value"), (#"{"value": {"a": "x\u0000"}}"#, "value"),
        (#"{"value": 1, "type": ""}"#, "type"), (#"{"value": 1, "type": 5}"#, "type"), (#"{"value": 1, "tags": "a"}"#, "tags"),
        (#"{"value": 1, "tags": [""]}"#, "tags[0]"), (#"{"value": 1, "tags": ["ok", 3]}"#, "tags[1]"),
        (#"{"value": 1, "tags": ["\#(String(repeating: "t", count: 129))"]}"#, "tags[0]"), (#"{"value": 1, "tags": ["a\nb"]}"#, "tags[0]"),
        (#"{"value": 1, "tags": [\#((0..<33).map { "\"t\($0)\"" }.joined(separator: ","))]}"#, "tags"),
        ("[1]", "body"), ("{\"value\": ", "body"), ("not json", "body"),
    ])
    func badWritesAreRejectedAndWriteNothing(body: String, field: String) async throws {
        try await TestApp.with { http, settings in
            try await http.execute(uri: "/v1/cache/k", method: .put, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest, "\(body)")
                let errorField = try TestApp.errorField(response.body)
                #expect(errorField == field, "\(body)")
            }
            let rows = try await TestApp.sql(settings) { try await $0.value("SELECT count(*)::int FROM cache_entries", as: Int.self) }
            #expect(rows == 0)
        }
    }

    @Test(arguments: [
        ("/v1/cache/\(String(repeating: "k", count: 513))", [HTTPRequest.Method.put, .get, .delete]),
        ("/v1/cache/a%0Ab", [.put, .get, .delete]), ("/v1/cache/a%ZZ", [.put, .get, .delete]),
        ("/v1/cache/st%61ts", [.put, .get, .delete]),
    ])
    func badKeysAreRejected(uri: String, methods: [HTTPRequest.Method]) async throws {
        let field = "key"
        try await TestApp.with { http, _ in
            for method in methods {
                try await http.execute(uri: uri, method: method, body: ByteBuffer(string: #"{"value": 1}"#)) { response in
                    #expect(response.status == .badRequest, "\(method) \(uri)")
                    let errorField = try TestApp.errorField(response.body)
                    #expect(errorField == field, "\(method) \(uri)")
                }
            }
        }
    }

    /// `stats` and `invalidate` are endpoints, not keys: the key methods get 405 naming the methods they take.
    @Test(arguments: [("/v1/cache/stats", [HTTPRequest.Method.put, .delete, .post], "GET, HEAD"), ("/v1/cache/invalidate", [.put, .get, .delete], "POST")])
    func reservedNamesAreNotKeys(uri: String, methods: [HTTPRequest.Method], allow: String) async throws {
        try await TestApp.with { http, _ in
            for method in methods {
                try await http.execute(uri: uri, method: method, body: ByteBuffer(string: #"{"value": 1}"#)) { response in
                    #expect(response.status == .methodNotAllowed && response.headers[.allow] == allow, "\(method) \(uri)")
                }
            }
        }
    }

    @Test func oversizedValuesGet413() async throws {
        var settings = CacheSettings()
        settings.maximumValueBytes = 1_000
        try await TestApp.with(cache: settings) { http, _ in
            let value = "\"" + String(repeating: "v", count: 1_000) + "\""
            try await http.execute(uri: "/v1/cache/big", method: .put, body: ByteBuffer(string: #"{"value": \#(value)}"#)) { response in
                #expect(response.status == .contentTooLarge)
                let errorField = try TestApp.errorField(response.body)
                #expect(errorField == "value")
            }
            let body = ByteBuffer(string: #"{"value": 1, "pad": "\#(String(repeating: " ", count: 70_000))"}"#)
            try await http.execute(uri: "/v1/cache/big", method: .put, body: body) { #expect($0.status == .contentTooLarge) }
            #expect(try await Self.get(http, "big") == nil)
        }
    }

    @Test(arguments: [(#"{}"#, "tags"), (#"{"tags": []}"#, "tags"), (#"{"tags": [7]}"#, "tags[0]"), (#"{"tags": "x"}"#, "tags")])
    func badInvalidationsAreRejected(body: String, field: String) async throws {
        try await TestApp.with { http, _ in
            try await http.execute(uri: "/v1/cache/invalidate", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest, "\(body)")
                let errorField = try TestApp.errorField(response.body)
                #expect(errorField == field, "\(body)")
            }
        }
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
