import Hummingbird
import NIOCore
import Routing

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

extension OSRMError {
    /// A routing failure as OSRM reports it.
    init(_ failure: RouteFailure) {
        switch failure {
        case .noNetwork:
            self.init(status: .serviceUnavailable, code: "NoNetwork", message: "no road network is imported yet (wayline import-osm FILE.osm.pbf)", field: nil)
        case .noSegment(let index, let limit):
            let metres = limit.rounded() == limit && limit < 1e15 ? String(Int(limit)) : String(limit)
            self.init(status: .badRequest, code: "NoSegment", message: "could not find a road within \(metres) m of coordinate \(index)", field: "coordinates[\(index)]")
        case .noRoute:
            self.init(status: .badRequest, code: "NoRoute", message: "no route joins these coordinates on the road network", field: "coordinates")
        }
    }

    /// `body`'s result, its routing failures thrown as OSRM errors.
    static func mapping<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let failure as RouteFailure {
            throw OSRMError(failure)
        }
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
