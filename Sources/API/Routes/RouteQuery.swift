import Foundation
import GeoCore
import Routing

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
    /// `annotations`: per-segment arrays in every leg (`duration`, `distance`, `speed`, `weight`, `nodes`).
    let annotations: [String]
    /// Per point, its `radiuses`, `bearings` and `approaches`.
    let rules: [EndRule]

    /// Options OSRM clients commonly send, with the values this service
    /// honours, in the order their values are checked.
    private static let accepted: KeyValuePairs<String, Set<String>> = [
        "steps": ["false", "true"],
        "continue_straight": ["default", "true", "false"],
        "generate_hints": ["true", "false"],
        "skip_waypoints": ["false"],
    ]

    init(profile: String, coordinates: String, options: QueryParameters, settings: RouteSettings) throws(OSRMError) {
        try settings.checkProfile(profile)
        self.profile = profile
        points = try OSRMCoordinates.parse(coordinates, count: 2...settings.maximumRoutePoints)

        // Hints only spare OSRM a snap; every request here snaps afresh, so any are accepted and unused.
        // Names are looked for one pair at a time: however many a hostile query
        // holds, each is compared with the eight known.
        let free: Set<String> = ["geometries", "overview", "alternatives", "annotations", "radiuses", "hints", "approaches", "bearings"]
        let known = { (name: String) in free.contains(name) || Self.accepted.contains { $0.key == name } }
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
        // OSRM answers alternatives=true or =N with the alternatives it found: here, none.
        if let alternatives = options["alternatives"], !["true", "false"].contains(alternatives),
           !(1...3).contains(alternatives.utf8.count) || !alternatives.utf8.allSatisfy({ (48...57).contains($0) }) {
            throw .invalidQuery("option alternatives must be true, false or a number of alternatives, got '\(alternatives)'", field: "alternatives")
        }
        annotations = try Self.annotations(options["annotations"])
        rules = try OSRMEndRules.parse(count: points.count) { options[$0] }
    }

    /// What the route object's rendering depends on, as one number: the
    /// geometry format, the overview, steps, and the set of annotations.
    var renderingForm: Int {
        let geometry = switch geometries { case .polyline: 0; case .polyline6: 1; case .geojson: 2 }
        let shape = switch overview { case .simplified: 0; case .full: 1; case .none: 2 }
        var arrays = 0
        for name in annotations {
            switch name {
            case "distance": arrays |= 1
            case "duration": arrays |= 2
            case "speed": arrays |= 4
            case "weight": arrays |= 8
            default: arrays |= 16
            }
        }
        return geometry + 3 * shape + 9 * (steps ? 1 : 0) + 18 * arrays
    }

    /// `false`, `true` (all of them), or a list of duration, distance, speed, weight, nodes.
    private static func annotations(_ raw: String?) throws(OSRMError) -> [String] {
        let all = ["distance", "duration", "speed", "weight", "nodes"]
        guard let raw, raw != "false" else { return [] }
        if raw == "true" { return all }
        let names = raw.split(separator: ",").map(String.init)
        guard !names.isEmpty, names.allSatisfy(all.contains) else {
            throw .invalidOptions("annotations must be true, false or a list of duration, distance, speed, weight, nodes", field: "annotations")
        }
        return names
    }
}
