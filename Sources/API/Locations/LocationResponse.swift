import Foundation
import GeoCore
import Hummingbird
import NIOCore
import Storage

/// A stored location as the API shows it: snake_case, RFC 3339 times,
/// latitude and longitude as separate numbers.
struct LocationResponse: ResponseEncodable {
    let user_id: String
    let type: String
    let lat: Double
    let lng: Double
    let accuracy_m: Double?
    let altitude_m: Double?
    let heading_deg: Double?
    let speed_mps: Double?
    let recorded_at: String
    let updated_at: String
    let address: String?
    let place_name: String?
    let place_id: String?
    let city: String?
    let country: String?

    init(_ location: StoredLocation) {
        user_id = location.userID.uuidString.lowercased()
        type = location.type.rawValue
        lat = location.coordinate.latitude
        lng = location.coordinate.longitude
        accuracy_m = location.accuracyMeters
        altitude_m = location.altitudeMeters
        heading_deg = location.headingDegrees
        speed_mps = location.speedMetersPerSecond
        recorded_at = RFC3339.format(location.recordedAt)
        updated_at = RFC3339.format(location.updatedAt)
        address = location.address
        place_name = location.placeName
        place_id = location.placeID
        city = location.city
        country = location.country
    }
}

struct LocationListResponse: ResponseEncodable {
    let locations: [LocationResponse]
}

/// The answer of `GET /v1/nearby`, written by hand: it is the hottest
/// response of the service.
struct NearbyResponse: ResponseGenerator {
    struct Result {
        let userID: PointID
        let type: String
        let latitude: Double
        let longitude: Double
        let distanceMeters: Double
        let updatedAt: Date
    }

    let results: [Result]
    /// "index" when answered from memory, "postgis" otherwise.
    let source: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 64 + results.count * 192)
        json.beginObject()
        json.beginArray("results")
        for result in results {
            json.beginObject()
            json.field("user_id", ascii: PointID.uuidStringLength) { result.userID.writeUUIDString(into: $0) }
            json.field("type", result.type)
            json.field("lat", result.latitude)
            json.field("lng", result.longitude)
            json.field("distance_m", result.distanceMeters)
            json.field("updated_at", ascii: RFC3339.length) { RFC3339.write(result.updatedAt, into: $0) }
            json.endObject()
        }
        json.endArray()
        json.field("source", source)
        json.endObject()
        return .json(json.buffer)
    }
}
