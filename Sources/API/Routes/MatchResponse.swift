import GeoCore
import Hummingbird
import Routing

/// OSRM's match answer: `matchings` (one route object per matched stretch of
/// the trace, with its `confidence`) and `tracepoints` in the order asked,
/// null for a point left out, else a waypoint with its matching
/// (`matchings_index`), its place in it (`waypoint_index`) and how many
/// other roads it could have been on (`alternatives_count`).
struct MatchResponse: ResponseGenerator {
    struct Matching {
        /// Indices of the asked points matched, in order.
        let points: [Int]
        let ends: [RoadEnd]
        let alternatives: [Int]
        let confidence: Double
        let legs: [RouteLeg]
        let routeMembers: String
    }

    let query: RouteQuery
    let matchings: [Matching]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 256 + matchings.reduce(0) { $0 + $1.routeMembers.utf8.count } + query.points.count * 160)
        json.beginObject()
        json.field("code", "Ok")
        json.beginArray("matchings")
        for matching in matchings {
            json.beginObject()
            json.members(matching.routeMembers)
            json.field("confidence", matching.confidence, decimals: 6)
            json.endObject()
        }
        json.endArray()
        var placed: [Int: (matching: Int, position: Int)] = [:]
        for (number, matching) in matchings.enumerated() {
            for (position, point) in matching.points.enumerated() { placed[point] = (number, position) }
        }
        json.beginArray("tracepoints")
        for (index, asked) in query.points.enumerated() {
            guard let (number, position) = placed[index] else {
                json.element(Double?.none, decimals: 0)
                continue
            }
            let matching = matchings[number]
            OSRMWaypoint.write(
                &json, asked: asked, snapped: matching.ends[position].point, name: matching.ends[position].name,
                indices: [("matchings_index", number), ("waypoint_index", position), ("alternatives_count", matching.alternatives[position])]
            )
        }
        json.endArray()
        json.endObject()
        return .json(json.buffer)
    }
}
