import Foundation
import GeoCore
import Storage

/// Turns a JSON location (a PUT body or one batch item) into a validated
/// `LocationUpdate`, or the list of rules it breaks.
enum LocationBody {
    static func parse(_ value: JSONValue, userID: UUID, type: LocationType, prefix: String = "") throws(FieldErrors) -> LocationUpdate {
        guard case .object = value else { throw FieldErrors([FieldError(prefix.isEmpty ? "body" : String(prefix.dropLast()), "must be a JSON object")]) }
        var reader = FieldReader(value, prefix: prefix)
        let latitude = reader.number("lat", in: -90...90, required: true)
        let longitude = reader.number("lng", in: -180...180, required: true)
        let accuracy = reader.number("accuracy_m", in: 0...100_000)
        let altitude = reader.number("altitude_m", in: -12_000...100_000)
        let heading = reader.number("heading_deg", in: 0...360)
        let speed = reader.number("speed_mps", in: 0...1_000)
        let recordedAt = reader.timestamp("recorded_at")
        // A fix from the future would block every real update after it; one
        // from before 2000 is a device with a reset clock (and before 1582
        // Foundation's calendar is Julian, PostgreSQL's Gregorian).
        if let recordedAt, recordedAt > Date().addingTimeInterval(300) {
            reader.fail("recorded_at", "must not be more than 5 minutes in the future")
        } else if let recordedAt, recordedAt < Date(timeIntervalSince1970: 946_684_800) {
            reader.fail("recorded_at", "must not be before 2000-01-01T00:00:00Z")
        }
        let address = reader.string("address", maximumLength: 500)
        let placeName = reader.string("place_name", maximumLength: 200)
        let placeID = reader.string("place_id", maximumLength: 200)
        let city = reader.string("city", maximumLength: 100)
        let country = reader.string("country", maximumLength: 100)
        var attributes: Attributes?
        if let given = value["attributes"], given != .null {
            do {
                attributes = try AttributesBody.parse(given, field: reader.name("attributes"))
            } catch {
                for failure in error.errors { reader.fail(failure) }
            }
        }
        guard reader.errors.isEmpty, let latitude, let longitude, let coordinate = try? Coordinate(latitude: latitude, longitude: longitude) else {
            throw FieldErrors(reader.errors)
        }
        return LocationUpdate(
            userID: userID, type: type, coordinate: coordinate, recordedAt: recordedAt ?? Date(),
            accuracyMeters: accuracy, altitudeMeters: altitude, headingDegrees: heading.map { $0 == 360 ? 0 : $0 },
            speedMetersPerSecond: speed, address: address, placeName: placeName, placeID: placeID, city: city, country: country,
            attributes: attributes
        )
    }

    static func userID(_ text: String?, field: String) throws(FieldErrors) -> UUID {
        guard let text, let id = UUID(uuidString: text) else { throw FieldErrors([FieldError(field, "must be a UUID")]) }
        return id
    }

    static func type(_ text: String?, field: String) throws(FieldErrors) -> LocationType {
        guard let text, let type = LocationType(rawValue: text) else {
            throw FieldErrors([FieldError(field, "must be one of \(LocationType.allCases.map(\.rawValue).joined(separator: ", "))")])
        }
        return type
    }
}
