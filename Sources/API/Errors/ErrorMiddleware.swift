public import Hummingbird
import Logging
import PostgresNIO

/// Gives every error response the same JSON shape, and keeps internals out of
/// it: errors that are not `APIError` (a route that does not exist, a body over
/// the size limit, a database failure) become an `APIError` with a generic
/// message; the details go to the log with the request id.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as PSQLError {
            // Input is validated before it reaches SQL, so a database error is
            // the database's trouble, not the client's: retryable.
            context.logger.error("database error", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.serviceUnavailable, code: "database_unavailable", message: "the database is unavailable, retry later")
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, code: Self.code(for: error.status), message: error.status.reasonPhrase.lowercased())
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.internalServerError, code: "internal", message: "internal error")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "body_too_large"
        case .badRequest: "bad_request"
        default: "http_\(status.code)"
        }
    }
}
