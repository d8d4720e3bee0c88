import Foundation
import GeoCore
import Hummingbird
import NIOCore
import Routing
import Storage

/// OSRM's route answer: `code`, `routes` (one, its members rendered once per
/// cached route and form, then whether this request hit the cache for every leg) and
/// `waypoints` (their distances per request: they say how far the asked
/// points were from the road).
struct RouteResponse: ResponseGenerator {
    let legs: [RouteLeg]
    let routeMembers: String
    let cacheHit: Bool
    let query: RouteQuery

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 256 + routeMembers.utf8.count)
        json.beginOSRMAnswer("routes", routeMembers: routeMembers, cacheHit: cacheHit)
        json.beginArray("waypoints")
        for (index, asked) in query.points.enumerated() {
            // Point i is where leg i starts, and the last where the last leg ends.
            let leg = legs[min(index, legs.count - 1)]
            let atEnd = index == legs.count
            OSRMWaypoint.write(
                &json, asked: asked, snapped: atEnd ? leg.stored.destination : leg.stored.origin,
                location: atEnd ? leg.destinationLocation : leg.originLocation
            )
        }
        json.endArray()
        json.endObject()
        return .json(json.buffer)
    }
}

extension JSONWriter {
    /// What OSRM's route and trip answers open with: `code`, then under
    /// `key` the one route object (its members and whether the cache served
    /// every leg). The caller writes the waypoints and closes the answer.
    mutating func beginOSRMAnswer(_ key: StaticString, routeMembers: String, cacheHit: Bool) {
        beginObject()
        field("code", "Ok")
        beginArray(key)
        beginObject()
        members(routeMembers)
        field("cache", cacheHit ? "hit" : "miss")
        endObject()
        endArray()
    }
}
