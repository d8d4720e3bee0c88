import Hummingbird
import NIOCore

extension Response {
    /// A JSON body written by hand (`JSONWriter`) or kept ready (cache entries).
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }
}
