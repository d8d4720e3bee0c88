import Foundation
import GeoCore
import Hummingbird
import NIOCore
import Routing
import Storage

/// A stored location as the API shows it: snake_case, RFC 3339 times,
/// latitude and longitude as separate numbers, absent fields left out.
/// Written by hand: a batch answer holds up to a thousand of them, and
/// JSONEncoder was a third of the service's time in W2 (profiled).
struct LocationResponse: ResponseGenerator {
    let location: StoredLocation

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 512)
        Self.write(location, into: &json)
        return .json(json.buffer)
    }

    static func write(_ location: StoredLocation, into json: inout JSONWriter) {
        json.beginObject()
        json.field("user_id", ascii: PointID.uuidStringLength) { PointID(location.userID).writeUUIDString(into: $0) }
        json.field("type", location.type.rawValue)
        json.field("lat", location.coordinate.latitude)
        json.field("lng", location.coordinate.longitude)
        if let value = location.accuracyMeters { json.field("accuracy_m", value) }
        if let value = location.altitudeMeters { json.field("altitude_m", value) }
        if let value = location.headingDegrees { json.field("heading_deg", value) }
        if let value = location.speedMetersPerSecond { json.field("speed_mps", value) }
        json.field("recorded_at", ascii: RFC3339.length) { RFC3339.write(location.recordedAt, into: $0) }
        json.field("updated_at", ascii: RFC3339.length) { RFC3339.write(location.updatedAt, into: $0) }
        if let value = location.address { json.field("address", value) }
        if let value = location.placeName { json.field("place_name", value) }
        if let value = location.placeID { json.field("place_id", value) }
        if let value = location.city { json.field("city", value) }
        if let value = location.country { json.field("country", value) }
        if let value = location.attributes, !value.isEmpty { json.field("attributes", value) }
        json.endObject()
    }
}

struct LocationListResponse: ResponseGenerator {
    let locations: [StoredLocation]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 64 + locations.count * 256)
        json.beginObject()
        json.beginArray("locations")
        for location in locations { LocationResponse.write(location, into: &json) }
        json.endArray()
        json.endObject()
        return .json(json.buffer)
    }
}

/// The answer of `GET /v1/nearby`, written by hand: it is the hottest
/// response of the service. Written straight from the search's results,
/// with no array of its own in between.
struct NearbyResponse: ResponseGenerator {
    var results: [NearbyPoint]
    let type: LocationType
    /// "index" when answered from memory, "postgis" otherwise.
    let source: String
    /// Set when the index may miss other instances' writes: when it last caught up with the table.
    var staleSince: Date? = nil
    /// With `rank=eta`: each result's time and way by road, and the candidates left out.
    var byRoad: ByRoad? = nil

    struct ByRoad {
        let durations: [Double]
        let distances: [Double]
        let examined: Int
        let unsnapped: Int
        let unreachable: Int

        init(_ ranking: RoadTimeRanking.Answer) {
            durations = ranking.ranked.map(\.durationSeconds)
            distances = ranking.ranked.map(\.routeDistanceMeters)
            examined = ranking.examined
            unsnapped = ranking.unsnapped
            unreachable = ranking.unreachable
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 64 + results.count * 192)
        json.beginObject()
        json.beginArray("results")
        for (number, result) in results.enumerated() {
            json.beginObject()
            json.field("user_id", ascii: PointID.uuidStringLength) { result.id.writeUUIDString(into: $0) }
            json.field("type", type.rawValue)
            json.field("lat", result.coordinate.latitude)
            json.field("lng", result.coordinate.longitude)
            json.field("distance_m", result.distanceMeters, decimals: 3)
            if let byRoad {
                json.field("eta_s", byRoad.durations[number], decimals: 1)
                json.field("route_distance_m", byRoad.distances[number], decimals: 1)
            }
            json.field("updated_at", ascii: RFC3339.length) { RFC3339.write(Date(timeIntervalSince1970: result.updatedAt), into: $0) }
            if !result.attributes.isEmpty { json.field("attributes", result.attributes) }
            json.endObject()
        }
        json.endArray()
        json.field("source", source)
        if let byRoad {
            json.field("rank", "eta")
            // The drivers looked at (nearest first by straight line, until the
            // rest could not be sooner), and of them those left out: off every
            // road, or with no way to the pickup.
            json.field("examined", byRoad.examined)
            json.field("unsnapped", byRoad.unsnapped)
            json.field("unreachable", byRoad.unreachable)
        }
        if let staleSince {
            // The database is away (or slow): the answer is this instance's
            // memory, which may miss other instances' moves since then.
            json.field("stale", true)
            json.field("synced_at", ascii: RFC3339.length) { RFC3339.write(staleSince, into: $0) }
        }
        json.endObject()
        return .json(json.buffer)
    }
}
