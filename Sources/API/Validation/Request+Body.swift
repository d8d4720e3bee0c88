import Hummingbird

extension Request {
    /// The whole body, up to `limit` bytes (beyond that Hummingbird answers
    /// 413). A body whose Content-Length already says it is larger is refused
    /// before any of it is read: otherwise a client that announces a huge body
    /// and sends it slowly, or never, keeps the request waiting for bytes that
    /// would only be thrown away.
    ///
    /// Bodies are read as they come: one declared compressed (gzip, say)
    /// is refused with 415 rather than parsed as the JSON it is not.
    func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        if let encoding = headers[.contentEncoding], encoding.lowercased() != "identity" {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_content_encoding",
                message: "Content-Encoding \(encoding) is not supported: send the body uncompressed", field: "Content-Encoding"
            )
        }
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw HTTPError(.contentTooLarge)
        }
        return try await body.collect(upTo: limit)
    }
}
