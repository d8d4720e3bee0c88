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

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, details: [FieldError]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.details = details
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let field: String?
            let details: [FieldError]?
        }

        let error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(
            Body(error: .init(code: code, message: message, field: field, details: details)), from: request, context: context
        )
        response.status = status
        return response
    }
}
