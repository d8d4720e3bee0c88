import Auth
import Foundation
import Hummingbird
import NIOCore

/// Establishes who each request speaks for, before any route runs, and
/// applies the rate limits: a bad token is a 401 on every endpoint (even a
/// public one), a request without a token goes on as `anon` and each route
/// decides. `/health` and `/ready` are answered for anyone, unlimited:
/// balancers and orchestrators probe them without credentials.
struct AuthResponder<Next: HTTPResponder>: HTTPResponder where Next.Context == WaylineContext {
    let next: Next
    let settings: AuthSettings
    private let tokens = VerifiedTokenCache()
    private let limiter = RateLimiter()

    init(next: Next, settings: AuthSettings) {
        self.next = next
        self.settings = settings
    }

    func respond(to request: Request, context: WaylineContext) async throws -> Response {
        if Self.isProbe(request.uri.string) { return try await next.respond(to: request, context: context) }
        var context = context
        do {
            context.identity = try await identity(request, context: context)
            context.notes.subject = context.identity.subject.isEmpty ? nil : context.identity.subject
        } catch {
            return try error.response(from: request, context: context)
        }
        return try await next.respond(to: request, context: context)
    }

    private func identity(_ request: Request, context: WaylineContext) async throws(APIError) -> Identity {
        guard let verifier = settings.verifier else { return .unrestricted }
        let now = Date()
        guard let header = request.headers[.authorization] else {
            try limit(address(context), settings.userLimit, now: now)
            return .anonymous
        }
        let identity: Identity
        do {
            identity = try await verify(header, verifier: verifier, now: now)
        } catch {
            try limit(address(context), settings.userLimit, now: now)
            throw .unauthorized(error)
        }
        switch identity.role {
        case .serviceRole: try limit("s:\(identity.tenant ?? "")/\(identity.subject)", settings.serviceLimit, now: now, who: "service")
        case .authenticated: try limit("u:\(identity.subject)", settings.userLimit, now: now, who: "user")
        case .anon: try limit(address(context), settings.userLimit, now: now)
        }
        return identity
    }

    /// `/health` or `/ready`, with or without a query: compared as bytes,
    /// since `uri.path` builds a string on every call and every request asks.
    static func isProbe(_ target: String) -> Bool {
        for probe in ["/health", "/ready"] where target.utf8.starts(with: probe.utf8) {
            let rest = target.utf8.dropFirst(probe.utf8.count)
            if rest.isEmpty || rest.first == UInt8(ascii: "?") { return true }
        }
        return false
    }

    /// `Bearer <token>` (the scheme in any case, as RFC 7235 has it), verified
    /// or from the cache. Read as bytes: this runs on every request, and
    /// walking a 300-character token by Character showed in W1A.
    private func verify(_ header: String, verifier: TokenVerifier, now: Date) async throws(AuthFailure) -> Identity {
        let bytes = header.utf8
        guard bytes.count > 7, bytes.prefix(7).elementsEqual("bearer ".utf8, by: { $0 | 0x20 == $1 }) else { throw .malformed }
        let start = bytes.dropFirst(7).firstIndex { $0 != UInt8(ascii: " ") } ?? bytes.endIndex
        let token = Substring(bytes[start...])
        guard !token.isEmpty, !token.utf8.contains(UInt8(ascii: " ")) else { throw .malformed }
        if let cached = tokens.identity(for: token, now: now) { return cached }
        let identity = try await verifier.verify(token, now: now)
        tokens.store(identity, for: token, now: now)
        return identity
    }

    /// - Parameter who: the metric's label: `address` (no valid token), `user` or `service`.
    private func limit(_ key: String, _ limit: RateLimiter.Limit?, now: Date, who: String = "address") throws(APIError) {
        guard let limit, let wait = limiter.acquire(key, limit: limit, now: now) else { return }
        AuthMetrics.shared.limited(who)
        throw .rateLimited(retryAfter: wait)
    }

    private func address(_ context: WaylineContext) -> String {
        "a:" + (context.remoteAddress?.ipAddress ?? "unknown")
    }
}
