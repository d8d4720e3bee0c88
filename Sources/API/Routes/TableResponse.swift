import GeoCore
import Hummingbird

/// OSRM's table answer: `durations` and/or `distances` (rows by source,
/// `null` where nothing joins them, one decimal as OSRM writes them), and the
/// snapped `sources` and `destinations`.
struct TableResponse: ResponseGenerator {
    let query: TableQuery
    let table: TravelTable
    let ends: [Int: RoadEnd]
    /// The traffic multiplier and the request's scale factor.
    let durationFactor: Double

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let cells = query.sources.count * query.destinations.count
        var json = JSONWriter(capacity: 256 + cells * 20 + (query.sources.count + query.destinations.count) * 96)
        json.beginObject()
        json.field("code", "Ok")
        var fallbacks: [(Int, Int)] = []
        if query.annotations.contains(.duration) {
            json.beginArray("durations")
            matrix(&json) { i, j in
                if let duration = table.duration(i, j) { return duration * durationFactor }
                guard let speed = query.fallbackSpeed else { return nil }
                fallbacks.append((i, j))
                return crowFly(i, j) / speed * query.scaleFactor
            }
            json.endArray()
        }
        if query.annotations.contains(.distance) {
            json.beginArray("distances")
            matrix(&json) { i, j in
                table.distance(i, j) ?? query.fallbackSpeed.map { _ in crowFly(i, j) }
            }
            json.endArray()
        }
        json.beginArray("sources")
        for index in query.sources { OSRMWaypoint.write(&json, asked: query.coordinates[index], snapped: ends[index]!.point, name: ends[index]!.name) }
        json.endArray()
        json.beginArray("destinations")
        for index in query.destinations {
            OSRMWaypoint.write(&json, asked: query.coordinates[index], snapped: ends[index]!.point, name: ends[index]!.name)
        }
        json.endArray()
        if !fallbacks.isEmpty {
            json.beginArray("fallback_speed_cells")
            for (i, j) in fallbacks {
                json.beginArray()
                json.element(i)
                json.element(j)
                json.endArray()
            }
            json.endArray()
        }
        json.endObject()
        return .json(json.buffer)
    }

    private func matrix(_ json: inout JSONWriter, _ cell: (Int, Int) -> Double?) {
        for i in 0..<table.sourceCount {
            json.beginArray()
            for j in 0..<table.destinationCount { json.element(cell(i, j), decimals: 1) }
            json.endArray()
        }
    }

    /// Between the points as asked (OSRM's default `fallback_coordinate=input`) or as snapped.
    private func crowFly(_ i: Int, _ j: Int) -> Double {
        let (from, to) = (query.sources[i], query.destinations[j])
        guard query.fallbackFromSnapped else { return query.coordinates[from].sphericalDistance(to: query.coordinates[to]) }
        return ends[from]!.point.sphericalDistance(to: ends[to]!.point)
    }
}

/// OSRM's waypoint object: where an asked point met the network.
enum OSRMWaypoint {
    /// `location`, when given, is the snapped point already written as JSON
    /// (a cached route keeps it so); `indices`, the point's place in a trip
    /// or a matching (`waypoint_index` and the like).
    static func write(
        _ json: inout JSONWriter, asked: Coordinate, snapped: Coordinate, name: String = "", location: String? = nil, nodes: (Int64, Int64)? = nil,
        indices: [(StaticString, Int)] = []
    ) {
        json.beginObject()
        if let nodes {
            json.beginArray("nodes")
            json.element(Int(nodes.0))
            json.element(Int(nodes.1))
            json.endArray()
        }
        json.field("hint", "")
        json.field("distance", asked.sphericalDistance(to: snapped), decimals: 3)
        json.field("name", name)
        if let location {
            json.field("location", json: location)
        } else {
            json.beginArray("location")
            json.element(snapped.longitude, decimals: 7)
            json.element(snapped.latitude, decimals: 7)
            json.endArray()
        }
        for (key, value) in indices { json.field(key, value) }
        json.endObject()
    }
}
