@testable import API
import Hummingbird
import Testing

@Suite(.timeLimit(.minutes(5))) struct RequestBodyTests {
    static func request(announcing length: Int, body: String, encoding: String? = nil) -> Request {
        var head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/", headerFields: [.contentLength: "\(length)"])
        head.headerFields[.contentEncoding] = encoding
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: body)))
    }

    /// Refused on the announced length alone, before a byte is read: the
    /// test clients set Content-Length from the body they send, so this is
    /// checked here rather than through the routes.
    @Test func refusesABodyAnnouncedLargerThanTheLimit() async throws {
        do {
            _ = try await Self.request(announcing: 1 << 40, body: "{}").collectBody(upTo: 1_024)
            Issue.record("a body announced at 1 TiB was read")
        } catch let error as APIError {
            #expect(error.status == .contentTooLarge)
            #expect(error.field == "body")
            #expect(error.headers[.connection] == "close")
        }
        #expect(try await Self.request(announcing: 2, body: "{}").collectBody(upTo: 1_024) == ByteBuffer(string: "{}"))
    }

    @Test func refusesACompressedBody() async throws {
        do {
            _ = try await Self.request(announcing: 2, body: "{}", encoding: "gzip").collectBody(upTo: 1_024)
            Issue.record("a body declared gzip was read as it came")
        } catch let error as APIError {
            #expect(error.status == .unsupportedMediaType)
            #expect(error.field == "Content-Encoding")
        }
        #expect(try await Self.request(announcing: 2, body: "{}", encoding: "identity").collectBody(upTo: 1_024) == ByteBuffer(string: "{}"))
    }
}
