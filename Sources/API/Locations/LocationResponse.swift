import Foundation
import Hummingbird
import Storage

/// A stored location as the API shows it: snake_case, RFC 3339 times,
/// latitude and longitude as separate numbers.
struct LocationResponse: ResponseEncodable {
    let user_id: UUID
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
        user_id = location.userID
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

struct NearbyResponse: ResponseEncodable {
    struct Result: Encodable {
        let user_id: UUID
        let type: String
        let lat: Double
        let lng: Double
        let distance_m: Double
        let updated_at: String
    }

    let results: [Result]
    /// "index" when answered from memory, "postgis" otherwise.
    let source: String
}
