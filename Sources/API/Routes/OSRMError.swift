import Hummingbird
import NIOCore

/// An error of the route endpoint in OSRM's shape, `{"code", "message"}` (plus
/// the field at fault), so OSRM clients read it as they read OSRM's own.
struct OSRMError: ClientError {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    let field: String?

    static func invalidQuery(_ message: String, field: String) -> OSRMError {
        OSRMError(status: .badRequest, code: "InvalidQuery", message: message, field: field)
    }

    static func invalidOptions(_ message: String, field: String) -> OSRMError {
        OSRMError(status: .badRequest, code: "InvalidOptions", message: message, field: field)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.field("code", code)
        json.field("message", message)
        if let field { json.field("field", field) }
        json.endObject()
        return .json(json.buffer, status: status)
    }
}

extension RouteSettings {
    /// `InvalidQuery` naming the profiles served, unless `profile` is one.
    func checkProfile(_ profile: String) throws(OSRMError) {
        guard profiles.contains(profile) else {
            throw .invalidQuery("unknown profile '\(profile)'; this service routes \(profiles.sorted().joined(separator: ", "))", field: "profile")
        }
    }
}
