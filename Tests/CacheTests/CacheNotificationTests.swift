@testable import Cache
import Testing

@Suite(.timeLimit(.minutes(5))) struct CacheNotificationTests {
    @Test func readsWhatTheDatabaseFunctionsSend() {
        #expect(CacheNotification("kuser/42 é") == .key("user/42 é"))
        #expect(CacheNotification("k") == .key(""))
        #expect(CacheNotification(#"t["a","b \"c\""]"#) == .tags(["a", "b \"c\""]))
    }

    @Test func treatsAnythingElseAsDropEverything() {
        #expect(CacheNotification("") == .unknown)
        #expect(CacheNotification("t[not json") == .unknown)
        #expect(CacheNotification("x") == .unknown)
    }
}
