import Hummingbird
import HTTPTypes
import NIOCore

extension Response {
    /// A JSON body written by hand (`JSONWriter`) or kept ready (cache entries).
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: jsonHeaders, body: ResponseBody(byteBuffer: body))
    }

    /// Built once: every JSON answer shares the storage instead of building
    /// the field list again (it showed in W1 and W5 profiles). `nosniff`:
    /// a browser never reads a JSON answer as anything else (OWASP).
    private static let jsonHeaders: HTTPFields = [
        .contentType: "application/json; charset=utf-8", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
    ]
}
