public import Hummingbird
import Logging
import NIOHTTP1
import PostgresNIO
public import Storage

/// An error that already is the answer for the client, in the shape its
/// endpoint promises (ours, or OSRM's for routes): passed through unchanged.
protocol ClientError: HTTPResponseError {}

/// Gives every error response the same JSON shape, and keeps internals out of
/// it: errors that are not a `ClientError` (a route that does not exist, a
/// database failure) become an `APIError` with a generic
/// message; the details go to the log with the request id.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Told of connection failures, so that it probes the database at once.
    let health: DatabaseHealth

    public init(health: DatabaseHealth) {
        self.health = health
    }

    /// A retryable 503: the database is away or the service is saturated.
    static func unavailable(_ code: String, _ message: String) -> APIError {
        APIError(.serviceUnavailable, code: code, message: message, headers: [.retryAfter: "1"])
    }

    static var databaseUnavailable: APIError { unavailable("database_unavailable", "the database is unavailable, retry later") }

    /// A 504: the work did not end in time, and may still take effect.
    static func timedOut(_ what: String) -> APIError {
        APIError(.gatewayTimeout, code: "timeout", message: "\(what); a write may still take effect, and retrying it is safe", headers: [.retryAfter: "1"])
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any ClientError {
            throw error
        } catch let error as PSQLError where Self.isDataException(error) {
            // A value validation let through but PostgreSQL refused (SQLSTATE
            // class 22, or a CHECK): still the client's input, so a 400 that
            // says which rule, never a 5xx.
            // The server's text names tables and constraints: it goes to the
            // log, never to the client.
            context.logger.info("database refused a value", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.badRequest, code: "rejected_value", message: "a value is outside what the service can store")
        } catch is CancellationError {
            // The request's deadline passed or its client left: the answer, if any, is already given.
            throw Self.unavailable("cancelled", "the request was cancelled")
        } catch let error as LocationWriterBusy {
            context.logger.warning("position writes shed", metadata: ["writes.queued_rows": "\(error.queuedRows)"])
            throw Self.unavailable("overloaded", "too many position writes are waiting; retry later")
        } catch is WorkAbandoned {
            // A statement that did not answer in time: the database is slow, or away.
            health.nudge()
            throw health.isUp ? Self.timedOut("the database did not answer in time") : Self.databaseUnavailable
        } catch let error where error is PSQLError || DatabaseHealth.isConnectionFailure(error) {
            // Input is validated before it reaches SQL, so a database error is
            // the database's trouble, not the client's: retryable.
            health.report(error)
            context.logger.error("database error", metadata: ["error": "\(DatabaseErrorMessage.describe(error))"])
            throw Self.databaseUnavailable
        } catch let error as HTTPParserError {
            // Met while reading the body (a chunk size that is not hex, say):
            // the client's bytes are not HTTP, so a 400 saying how. Errors in
            // a request's head never reach a handler; Hummingbird answers
            // those with a bare 400 and closes the connection.
            throw APIError(.badRequest, code: "malformed_http", message: "the body is not valid HTTP/1.1: \(error.debugDescription)", field: "body")
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, code: Self.code(for: error.status), message: error.status.reasonPhrase.lowercased())
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.internalServerError, code: "internal", message: "internal error")
        }
    }

    static func isDataException(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("22") || state == "23514"
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .badRequest: "bad_request"
        default: "http_\(status.code)"
        }
    }
}
