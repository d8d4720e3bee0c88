import GeoCore
import Routing

/// The match service's own options, in OSRM's format: `timestamps` (whole
/// seconds per coordinate, never decreasing), `gaps=split|ignore`,
/// `tidy=true|false`, and `waypoints`. Its `radiuses` are the points' GPS
/// accuracy, at most `RouteSettings.maximumMatchRadiusMeters` (above it,
/// `TooBig`, as OSRM answers).
struct MatchOptions {
    /// The options with a fixed set of values.
    static let options: KeyValuePairs<String, Set<String>> = [
        "gaps": ["split", "ignore"],
        "tidy": ["true", "false"],
    ]
    /// The options with values of their own syntax.
    static let free: Set<String> = ["timestamps", "waypoints"]

    let timestamps: [Double]?
    let splitsAtGaps: Bool
    let tidy: Bool

    init(_ options: QueryParameters, count: Int, rules: [EndRule], settings: RouteSettings) throws(OSRMError) {
        splitsAtGaps = options["gaps"] != "ignore"
        tidy = options["tidy"] == "true"
        // An empty value is none: osrm-py sends `timestamps=` when it has none.
        timestamps = try options["timestamps"].flatMap { raw throws(OSRMError) in raw.isEmpty ? nil : try Self.timestamps(raw, count: count) }
        if let radius = rules.compactMap(\.radiusMeters).first(where: { $0 > settings.maximumMatchRadiusMeters }) {
            throw OSRMError(
                status: .badRequest, code: "TooBig",
                message: "radiuses above \(Int(settings.maximumMatchRadiusMeters)) m are too large for map matching, got \(radius)", field: "radiuses"
            )
        }
        // Every point is a waypoint (each leg joins two matched points); a
        // coarser choice would merge legs, which is not built.
        if let waypoints = options["waypoints"], waypoints != (0..<count).map(String.init).joined(separator: ";") {
            throw OSRMError(
                status: .badRequest, code: "NotImplemented", message: "waypoints must list every coordinate's index; fewer waypoints are not supported",
                field: "waypoints"
            )
        }
    }

    private static func timestamps(_ raw: String, count: Int) throws(OSRMError) -> [Double] {
        let parts = raw.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == count else {
            throw .invalidOptions("timestamps must give one value per coordinate (\(count)), got \(parts.count)", field: "timestamps")
        }
        var seconds: [Double] = []
        for part in parts {
            guard (1...10).contains(part.utf8.count), part.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(part) else {
                throw .invalidOptions("timestamps must be whole seconds since 1970, got '\(part)'", field: "timestamps")
            }
            if let last = seconds.last, Double(value) < last {
                throw OSRMError(status: .badRequest, code: "InvalidValue", message: "timestamps must never decrease, got \(value) after \(Int(last))", field: "timestamps")
            }
            seconds.append(Double(value))
        }
        return seconds
    }
}
