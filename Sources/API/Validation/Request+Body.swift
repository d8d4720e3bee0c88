import Hummingbird
import NIOCore

extension Request {
    /// The whole body, up to `limit` bytes. A body whose Content-Length
    /// already says it is larger is refused before any of it is read:
    /// otherwise a client that announces a huge body and sends it slowly, or
    /// never, keeps the request waiting for bytes that would only be thrown
    /// away. A refused body (413, 415) closes the connection
    /// (`CloseAfterResponseHandler`), as the rest of it is not worth reading.
    ///
    /// Bodies are read as they come: one declared compressed (gzip, say)
    /// is refused with 415 rather than parsed as the JSON it is not.
    func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        if let encoding = headers[.contentEncoding], encoding.lowercased() != "identity" {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_content_encoding",
                message: "Content-Encoding \(encoding) is not supported: send the body uncompressed", field: "Content-Encoding",
                headers: Self.closing
            )
        }
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw Self.bodyTooLarge(limit)
        }
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.bodyTooLarge(limit)
        }
    }

    private static let closing: HTTPFields = [.connection: "close"]

    private static func bodyTooLarge(_ limit: Int) -> APIError {
        APIError(
            .contentTooLarge, code: "body_too_large", message: "the body must be at most \(limit) bytes", field: "body",
            headers: Self.closing
        )
    }

    /// The whole body (up to `limit`, else 413), parsed as JSON; 400 naming `body` when it is not.
    func json(upTo limit: Int) async throws -> JSONValue {
        let buffer = try await collectBody(upTo: limit)
        do {
            return try JSONParser.parse(Array(buffer.readableBytesView))
        } catch {
            throw APIError(.badRequest, code: "malformed_json", message: "body is not valid JSON: \(error.reason) at byte \(error.offset)", field: "body")
        }
    }
}
