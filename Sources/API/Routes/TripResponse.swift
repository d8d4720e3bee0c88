import GeoCore
import Hummingbird
import Routing

/// OSRM's trip answer: `trips` (one route through every stop in the order
/// found) and `waypoints` in the order asked, each with its place in the
/// trip (`waypoint_index`) and its trip (`trips_index`, always 0: one trip).
struct TripResponse: ResponseGenerator {
    let query: RouteQuery
    /// The asked points' indices in visiting order.
    let order: [Int]
    let ends: [Int: RoadEnd]
    let legs: [RouteLeg]
    let routeMembers: String
    let cacheHit: Bool

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 256 + routeMembers.utf8.count + query.points.count * 128)
        json.beginOSRMAnswer("trips", routeMembers: routeMembers, cacheHit: cacheHit)
        var position = [Int](repeating: 0, count: query.points.count)
        for (index, stop) in order.enumerated() { position[stop] = index }
        json.beginArray("waypoints")
        for (index, asked) in query.points.enumerated() {
            // A stop's leg starts where the route left it.
            let leg = legs[min(position[index], legs.count - 1)]
            let atEnd = position[index] == legs.count
            OSRMWaypoint.write(
                &json, asked: asked, snapped: atEnd ? leg.stored.destination : leg.stored.origin, name: ends[index]?.name ?? "",
                location: atEnd ? leg.destinationLocation : leg.originLocation, indices: [("waypoint_index", position[index]), ("trips_index", 0)]
            )
        }
        json.endArray()
        json.endObject()
        return .json(json.buffer)
    }
}
