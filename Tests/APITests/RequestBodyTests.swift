@testable import API
import Hummingbird
import Testing

@Suite struct RequestBodyTests {
    static func request(announcing length: Int, body: String) -> Request {
        let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/", headerFields: [.contentLength: "\(length)"])
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: body)))
    }

    /// Refused on the announced length alone, before a byte is read: the
    /// test clients set Content-Length from the body they send, so this is
    /// checked here rather than through the routes.
    @Test func refusesABodyAnnouncedLargerThanTheLimit() async throws {
        do {
            _ = try await Self.request(announcing: 1 << 40, body: "{}").collectBody(upTo: 1_024)
            Issue.record("a body announced at 1 TiB was read")
        } catch let error as HTTPError {
            #expect(error.status == .contentTooLarge)
        }
        #expect(try await Self.request(announcing: 2, body: "{}").collectBody(upTo: 1_024) == ByteBuffer(string: "{}"))
    }
}
