import Foundation
import GeoCore
import Hummingbird
import NIOCore
import Storage

/// OSRM's route answer: `code`, `routes` (one, rendered once per cached
/// route and form) and `waypoints` (per request: they say how far the asked
/// points were from the road).
struct RouteResponse: ResponseGenerator {
    let route: StoredRoute
    let routesJSON: String
    let query: RouteQuery

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 256 + routesJSON.utf8.count)
        json.beginObject()
        json.field("code", "Ok")
        json.field("routes", json: routesJSON)
        json.beginArray("waypoints")
        for (requested, snapped) in [(query.origin, route.origin), (query.destination, route.destination)] {
            json.beginObject()
            json.field("hint", "")
            json.field("distance", requested.sphericalDistance(to: snapped))
            json.field("name", "")
            json.field("location", json: "[\(snapped.longitude),\(snapped.latitude)]")
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return .json(ByteBuffer(string: json.text))
    }
}
