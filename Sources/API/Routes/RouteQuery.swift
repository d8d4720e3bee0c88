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
    /// The trip service's `roundtrip`, `source` and `destination`; nil for a route.
    let trip: TripSolver.Constraints?
    /// The match service's `timestamps`, `gaps` and `tidy`; nil for a route.
    let match: MatchOptions?

    /// OSRM's services that take a route's options.
    enum Service {
        case route, trip, match
    }

    /// Options OSRM clients commonly send, with the values this service
    /// honours, in the order their values are checked.
    private static let accepted: KeyValuePairs<String, Set<String>> = [
        "steps": ["false", "true"],
        "continue_straight": ["default", "true", "false"],
        "generate_hints": ["true", "false"],
        "skip_waypoints": ["false"],
    ]

    /// The trip's own options, with the values OSRM takes.
    private static let tripOptions: KeyValuePairs<String, Set<String>> = [
        "roundtrip": ["true", "false"],
        "source": ["any", "first"],
        "destination": ["any", "last"],
    ]

    init(
        profile: String, coordinates: String, options: QueryParameters, settings: RouteSettings, service: Service = .route
    ) throws(OSRMError) {
        try settings.checkProfile(profile)
        self.profile = profile
        let most = switch service {
        case .route: settings.maximumRoutePoints
        case .trip: settings.maximumTripPoints
        case .match: settings.maximumMatchPoints
        }
        points = try OSRMCoordinates.parse(coordinates, count: 2...most)

        // Hints only spare OSRM a snap; every request here snaps afresh, so any are accepted and unused.
        // Names are looked for one pair at a time: however many a hostile query
        // holds, each is compared with the eight known.
        let free: Set<String> = ["geometries", "overview", "alternatives", "annotations", "radiuses", "hints", "approaches", "bearings"]
        let own: KeyValuePairs<String, Set<String>> = switch service {
        case .route: [:]
        case .trip: Self.tripOptions
        case .match: MatchOptions.options
        }
        let ownFree = service == .match ? MatchOptions.free : []
        let known = { (name: String) in
            free.contains(name) || ownFree.contains(name) || Self.accepted.contains { $0.key == name } || own.contains { $0.key == name }
        }
        if let unknown = options.firstName(where: { !known($0) }) {
            throw .invalidQuery("unknown option '\(unknown)'", field: unknown)
        }
        for (name, values) in Array(Self.accepted) + Array(own) {
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
        trip = service == .trip ? try Self.tripConstraints(options) : nil
        match = service == .match ? try MatchOptions(options, count: points.count, rules: rules, settings: settings) : nil
    }

    /// OSRM's defaults: a round trip, from any stop to any. A one-way trip
    /// needs a fixed first or last stop (OSRM answers the same).
    private static func tripConstraints(_ options: QueryParameters) throws(OSRMError) -> TripSolver.Constraints {
        let constraints = TripSolver.Constraints(
            roundTrip: options["roundtrip"] != "false", startAtFirst: options["source"] == "first", endAtLast: options["destination"] == "last"
        )
        guard constraints.roundTrip || constraints.startAtFirst || constraints.endAtLast else {
            throw OSRMError(
                status: .badRequest, code: "NotImplemented",
                message: "a trip with roundtrip=false needs source=first or destination=last", field: "roundtrip"
            )
        }
        return constraints
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
