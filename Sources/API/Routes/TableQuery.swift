import GeoCore
import Routing

/// A validated table request: `GET /table/v1/{profile}/{coordinates}?…`, or
/// Wayline's `POST /table/v1/{profile}` with the same options in a JSON body.
struct TableQuery {
    struct Annotations: OptionSet {
        let rawValue: Int
        static let duration = Annotations(rawValue: 1)
        static let distance = Annotations(rawValue: 2)
    }

    let coordinates: [Coordinate]
    /// Indices into `coordinates`.
    let sources: [Int]
    let destinations: [Int]
    let annotations: Annotations
    /// m/s: unreachable cells are filled with the straight-line distance at this speed.
    let fallbackSpeed: Double?
    /// Every duration is multiplied by this.
    let scaleFactor: Double
    /// `fallback_coordinate=snapped`: the straight line between the snapped points, not the asked ones.
    let fallbackFromSnapped: Bool
    /// Per coordinate, its `radiuses`, `bearings` and `approaches`.
    let rules: [EndRule]

    /// Options by name, as the query string or the JSON body gives them.
    init(profile: String, coordinates: [Coordinate], options: [String: String], settings: RouteSettings) throws(OSRMError) {
        try settings.checkProfile(profile)
        let known: Set<String> = ["sources", "destinations", "annotations", "fallback_speed", "fallback_coordinate", "scale_factor", "generate_hints", "skip_waypoints",
                                "radiuses", "bearings", "approaches", "hints"]
        if let unknown = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalidQuery("unknown option '\(unknown)'", field: unknown)
        }
        self.coordinates = coordinates
        sources = try Self.indices(options["sources"], name: "sources", count: coordinates.count)
        destinations = try Self.indices(options["destinations"], name: "destinations", count: coordinates.count)
        var annotations: Annotations = []
        for name in (options["annotations"] ?? "duration").split(separator: ",", omittingEmptySubsequences: false) {
            switch name {
            case "duration": annotations.insert(.duration)
            case "distance": annotations.insert(.distance)
            default: throw .invalidOptions("annotations must be duration, distance or duration,distance", field: "annotations")
            }
        }
        self.annotations = annotations
        fallbackSpeed = try options["fallback_speed"].map { raw throws(OSRMError) in
            guard let speed = DecimalNumber.parse(Substring(raw)), speed > 0, speed.isFinite else {
                throw .invalidOptions("fallback_speed must be a speed in m/s above 0", field: "fallback_speed")
            }
            return speed
        }
        if let reference = options["fallback_coordinate"], reference != "input", reference != "snapped" {
            throw .invalidOptions("fallback_coordinate must be input or snapped", field: "fallback_coordinate")
        }
        fallbackFromSnapped = options["fallback_coordinate"] == "snapped"
        guard let scale = DecimalNumber.parse(Substring(options["scale_factor"] ?? "1")), scale > 0, scale.isFinite else {
            throw .invalidOptions("scale_factor must be a number above 0", field: "scale_factor")
        }
        scaleFactor = scale
        rules = try OSRMEndRules.parse(count: coordinates.count) { options[$0] }
        for flag in ["generate_hints", "skip_waypoints"] where options[flag].map({ $0 != "true" && $0 != "false" }) == true {
            throw .invalidOptions("\(flag) must be true or false", field: flag)
        }
    }

    /// `all` (or absent), or indices separated by `;`, each below `count`.
    private static func indices(_ raw: String?, name: String, count: Int) throws(OSRMError) -> [Int] {
        guard let raw, raw != "all" else { return Array(0..<count) }
        var indices: [Int] = []
        for part in raw.split(separator: ";", omittingEmptySubsequences: false) {
            guard part.utf8.allSatisfy({ (48...57).contains($0) }), let index = Int(part), index < count else {
                throw .invalidOptions("\(name) must be all or indices of the coordinates (0 to \(count - 1)) separated by ;", field: name)
            }
            indices.append(index)
        }
        return indices
    }
}
