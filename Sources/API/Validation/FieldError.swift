/// One broken rule in a request: which field, and what the rule is.
public struct FieldError: Error, Sendable, Equatable {
    public let field: String
    public let rule: String

    public init(_ field: String, _ rule: String) {
        self.field = field
        self.rule = rule
    }
}

extension APIError {
    /// 400 listing every broken rule; the first one is also the summary.
    static func invalid(_ errors: [FieldError]) -> APIError {
        let first = errors.first ?? FieldError("body", "is invalid")
        return APIError(.badRequest, code: "invalid_request", message: "\(first.field) \(first.rule)", field: first.field, details: errors)
    }
}

/// Every broken rule of one request.
struct FieldErrors: Error {
    var errors: [FieldError]

    init(_ errors: [FieldError]) {
        self.errors = errors
    }
}

/// `body`'s result, or 400 listing every rule it found broken.
func validated<T>(_ body: () throws(FieldErrors) -> T) throws(APIError) -> T {
    do {
        return try body()
    } catch {
        throw APIError.invalid(error.errors)
    }
}
