public import Hummingbird

/// An error a client may see: an HTTP status and a JSON body
/// `{"error": {"code": …, "message": …, "field": …}}` naming the rule broken
/// and, where there is one, the offending field.
public struct APIError: ClientError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?
    /// Every broken rule, for validation errors that found more than one.
    public let details: [FieldError]?
    /// Headers the status calls for (`Allow` with a 405).
    public let headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, details: [FieldError]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.details = details
        self.headers = headers
    }

    /// Written by hand, in the order docs/locations.md documents: through
    /// JSONEncoder the members came out in a different order from one
    /// process to the next (its keyed containers hash their keys).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.beginObject("error")
        json.field("code", code)
        json.field("message", message)
        if let field { json.field("field", field) }
        if let details {
            json.beginArray("details")
            for detail in details {
                json.beginObject()
                json.field("field", detail.field)
                json.field("rule", detail.rule)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        json.endObject()
        var response = Response.json(json.buffer, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
