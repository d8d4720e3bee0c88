import Foundation
import GeoCore
import Hummingbird
import NIOCore

/// OSRM's route answer: `code`, `routes` (one) and `waypoints`, with
/// Wayline's cache fields beside the OSRM ones in the route.
struct RouteResponse: ResponseGenerator {
    let answer: RouteService.Answer
    let query: RouteQuery
    let geometry: String?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let route = answer.route.stored
        var json = JSONWriter(capacity: 512 + (geometry?.utf8.count ?? 0))
        json.beginObject()
        json.field("code", "Ok")
        json.beginArray("routes")
        json.beginObject()
        if let geometry { json.field("geometry", json: geometry) }
        json.beginArray("legs")
        json.beginObject()
        json.field("steps", json: "[]")
        json.field("summary", "")
        json.field("weight", route.durationSeconds)
        json.field("duration", route.durationSeconds)
        json.field("distance", route.distanceMeters)
        json.endObject()
        json.endArray()
        json.field("weight_name", "duration")
        json.field("weight", route.durationSeconds)
        json.field("duration", route.durationSeconds)
        json.field("distance", route.distanceMeters)
        json.field("cache", answer.cacheHit ? "hit" : "miss")
        json.field("computed_at", RFC3339.format(route.createdAt))
        json.field("expires_at", RFC3339.format(route.expiresAt))
        json.field("traffic_multiplier", route.trafficMultiplier)
        json.endObject()
        json.endArray()
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
