import GeoCore

/// OSRM's per-coordinate options, `radiuses`, `bearings` and `approaches`
/// (each one value per coordinate separated by `;`, an empty value for none),
/// read into one `EndRule` per coordinate, for route, table and nearest alike.
enum OSRMEndRules {
    /// - Parameter option: an option's value by name, nil when absent.
    static func parse(count: Int, option: (String) -> String?) throws(OSRMError) -> [EndRule] {
        var rules = Array(repeating: EndRule.none, count: count)
        for (index, part) in try parts(option("radiuses"), "radiuses", count: count) where !part.isEmpty && part != "unlimited" {
            guard let radius = DecimalNumber.parse(part), radius >= 0, radius.isFinite else {
                throw .invalidOptions("radiuses must be metres (0 or more) or unlimited, got '\(part)'", field: "radiuses")
            }
            rules[index].radiusMeters = radius
        }
        for (index, part) in try parts(option("bearings"), "bearings", count: count) where !part.isEmpty {
            let numbers = part.split(separator: ",", omittingEmptySubsequences: false)
            guard numbers.count == 2, let degrees = whole(numbers[0]), let range = whole(numbers[1]),
                  let bearing = Bearing(degrees: degrees == 360 ? 0 : degrees, range: range) else {
                throw .invalidOptions("bearings must be value,range per coordinate: a heading of 0 to 360 degrees and a range of 0 to 180, got '\(part)'", field: "bearings")
            }
            rules[index].bearing = bearing
        }
        for (index, part) in try parts(option("approaches"), "approaches", count: count) where !part.isEmpty {
            switch part {
            case "unrestricted": break
            case "curb": rules[index].curb = true
            default: throw .invalidOptions("approaches must be curb or unrestricted per coordinate, got '\(part)'", field: "approaches")
            }
        }
        return rules
    }

    /// The option's values with their coordinate's index; none when the option is absent.
    private static func parts(_ raw: String?, _ name: String, count: Int) throws(OSRMError) -> [(Int, Substring)] {
        guard let raw else { return [] }
        let parts = raw.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == count else {
            throw .invalidOptions("\(name) must give one value per coordinate (\(count)), got \(parts.count)", field: name)
        }
        return Array(parts.enumerated())
    }

    private static func whole(_ text: Substring) -> Int? {
        guard (1...3).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }
}
