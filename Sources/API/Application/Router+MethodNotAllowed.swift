import Hummingbird

extension Router {
    /// Methods a client may try on any path (QUERY: the safe method with a body, RFC 9110bis draft).
    private static var methods: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!] }

    /// Gives every path that has endpoints an answer for the other methods:
    /// 405 with the `Allow` header RFC 9110 asks for and the usual JSON error,
    /// where Hummingbird's router answers 404 as if the path did not exist.
    /// Call it after every endpoint is added; HEAD counts as allowed wherever
    /// GET is (the router answers it from GET).
    func answerOtherMethodsNotAllowed() {
        let paths = Dictionary(grouping: routes) { $0.path.description }
        for routes in paths.values {
            var allowed = Set(routes.map(\.method))
            if allowed.contains(.get) { allowed.insert(.head) }
            let allow = Self.methods.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            for method in Self.methods where !allowed.contains(method) {
                on(routes[0].path, method: method) { _, _ -> Response in
                    throw APIError(
                        .methodNotAllowed, code: "method_not_allowed", message: "\(method.rawValue) is not allowed here; allowed: \(allow)",
                        field: "method", headers: [.allow: allow]
                    )
                }
            }
        }
    }
}
