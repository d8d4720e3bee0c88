import Foundation
import GeoCore

/// A validated `GET /route/v1/{profile}/{lng},{lat};{lng},{lat}…?…` request:
/// 2 to `RouteSettings.maximumRoutePoints` points, a leg between each two.
struct RouteQuery {
    enum Geometries: String {
        case polyline, polyline6, geojson
    }

    enum Overview: String {
        case simplified, full
        case none = "false"
    }

    let profile: String
    let points: [Coordinate]
    let geometries: Geometries
    let overview: Overview
    /// `steps=true`: turn-by-turn steps in every leg.
    let steps: Bool

    /// Options OSRM clients commonly send, with the values this service
    /// honours, in the order their values are checked.
    private static let accepted: KeyValuePairs<String, Set<String>> = [
        "alternatives": ["false", "true", "0", "1"],
        "steps": ["false", "true"],
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
        points = try OSRMCoordinates.parse(coordinates, count: 2...settings.maximumRoutePoints)

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
        steps = options["steps"] == "true"
    }
}
