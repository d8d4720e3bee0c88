import Foundation
import GeoCore
import Hummingbird
import NIOCore
import Storage

/// OSRM's route answer: `code`, `routes` (one, its members rendered once per
/// cached route and form, then whether this request hit the cache) and
/// `waypoints` (their distances per request: they say how far the asked
/// points were from the road).
struct RouteResponse: ResponseGenerator {
    let route: CachedRoute
    let routeMembers: String
    let cacheHit: Bool
    let query: RouteQuery

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 256 + routeMembers.utf8.count)
        json.beginObject()
        json.field("code", "Ok")
        json.beginArray("routes")
        json.beginObject()
        json.members(routeMembers)
        json.field("cache", cacheHit ? "hit" : "miss")
        json.endObject()
        json.endArray()
        json.beginArray("waypoints")
        OSRMWaypoint.write(&json, asked: query.origin, snapped: route.stored.origin, location: route.originLocation)
        OSRMWaypoint.write(&json, asked: query.destination, snapped: route.stored.destination, location: route.destinationLocation)
        json.endArray()
        json.endObject()
        return .json(json.buffer)
    }
}
