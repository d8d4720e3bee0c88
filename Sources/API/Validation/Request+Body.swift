import Hummingbird

extension Request {
    /// The whole body, up to `limit` bytes (beyond that Hummingbird answers
    /// 413). A body whose Content-Length already says it is larger is refused
    /// before any of it is read: otherwise a client that announces a huge body
    /// and sends it slowly, or never, keeps the request waiting for bytes that
    /// would only be thrown away.
    func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw HTTPError(.contentTooLarge)
        }
        return try await body.collect(upTo: limit)
    }
}
