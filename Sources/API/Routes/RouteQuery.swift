import Foundation
import GeoCore

/// A validated `GET /route/v1/{profile}/{lng},{lat};{lng},{lat}?…` request.
struct RouteQuery {
    enum Geometries: String {
        case polyline, polyline6, geojson
    }

    enum Overview: String {
        case simplified, full
        case none = "false"
    }

    let profile: String
    let origin: Coordinate
    let destination: Coordinate
    let geometries: Geometries
    let overview: Overview

    /// Options OSRM clients commonly send, with the values this service
    /// honours, in the order their values are checked.
    private static let accepted: KeyValuePairs<String, Set<String>> = [
        "alternatives": ["false", "true", "0", "1"],
        "steps": ["false"],
        "annotations": ["false"],
        "continue_straight": ["default", "true", "false"],
        "generate_hints": ["true", "false"],
        "skip_waypoints": ["false"],
    ]

    init(profile: String, coordinates: String, options: QueryParameters, settings: RouteSettings) throws(OSRMError) {
        guard settings.profiles.contains(profile) else {
            throw .invalidQuery("unknown profile '\(profile)'; this service routes \(settings.profiles.sorted().joined(separator: ", "))", field: "profile")
        }
        self.profile = profile
        let decoded = coordinates.percentDecoded ?? coordinates
        // OSRM's path may end in the response format, of which `json` is the only one.
        // Split as bytes: splitting the string walks it by grapheme, which
        // was most of this initializer's time in a W3 profile.
        let path = decoded.utf8.suffix(5).elementsEqual(".json".utf8) ? decoded.utf8.dropLast(5) : decoded.utf8[...]
        let pairs = path.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        guard pairs.count == 2 else {
            throw .invalidQuery("expected exactly 2 coordinates (origin;destination) as lng,lat;lng,lat, got \(pairs.count)", field: "coordinates")
        }
        origin = try Self.coordinate(pairs[0], index: 0)
        destination = try Self.coordinate(pairs[1], index: 1)

        // Names are looked for one pair at a time: however many a hostile query
        // holds, each is compared with the eight known.
        let known = { (name: String) in name == "geometries" || name == "overview" || Self.accepted.contains { $0.key == name } }
        if let unknown = options.firstName(where: { !known($0) }) {
            throw .invalidQuery("unknown option '\(unknown)'", field: unknown)
        }
        for (name, values) in Self.accepted {
            guard let value = options[name], !values.contains(value) else { continue }
            throw .invalidQuery("option \(name) must be one of \(values.sorted().joined(separator: ", ")), got '\(value)'", field: name)
        }
        guard let geometries = Geometries(rawValue: options["geometries"] ?? "polyline") else {
            throw .invalidQuery("geometries must be polyline, polyline6 or geojson", field: "geometries")
        }
        guard let overview = Overview(rawValue: options["overview"] ?? "simplified") else {
            throw .invalidQuery("overview must be simplified, full or false", field: "overview")
        }
        self.geometries = geometries
        self.overview = overview
    }

    /// One `lng,lat` pair. A second comma leaves the latitude unparseable.
    /// Nothing is allocated unless the pair is refused: this runs twice on
    /// every route request.
    private static func coordinate(_ text: Substring.UTF8View, index: Int) throws(OSRMError) -> Coordinate {
        guard let comma = text.firstIndex(of: UInt8(ascii: ",")),
              let longitude = DecimalNumber.parse(Substring(text[..<comma])),
              let latitude = DecimalNumber.parse(Substring(text[text.index(after: comma)...])) else {
            throw .invalidQuery("coordinate \(index) must be longitude,latitude in decimal degrees, got '\(Substring(text))'", field: "coordinates[\(index)]")
        }
        do {
            return try Coordinate(latitude: latitude, longitude: longitude)
        } catch {
            throw .invalidQuery("coordinate \(index): \(error)", field: "coordinates[\(index)]")
        }
    }
}
