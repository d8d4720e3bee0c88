import GeoCore

/// The JSON body of `POST /table/v1/{profile}`: `coordinates` as an array of
/// `[lng, lat]`, and the GET options as members (`sources` and `destinations`
/// as arrays of indices or "all", `annotations` as a string or an array).
enum TableBody {
    static func parse(_ bytes: [UInt8], maximum: Int) throws(OSRMError) -> (coordinates: [Coordinate], options: [String: String]) {
        guard case .object(let members)? = try? JSONParser.parse(bytes) else {
            throw .invalidQuery("the body must be a JSON object with a coordinates array", field: "body")
        }
        var coordinates: [Coordinate] = []
        var options: [String: String] = [:]
        for (name, value) in members {
            switch (name, value) {
            case ("coordinates", .array(let points)):
                guard points.count <= maximum else {
                    throw OSRMError(status: .badRequest, code: "TooBig", message: "at most \(maximum) coordinates are accepted here, got \(points.count)", field: "coordinates")
                }
                for (index, point) in points.enumerated() {
                    guard case .array(let pair) = point, pair.count == 2, case .number(let longitude) = pair[0], case .number(let latitude) = pair[1],
                          let coordinate = try? Coordinate(latitude: latitude, longitude: longitude) else {
                        throw .invalidQuery("coordinate \(index) must be [longitude, latitude] in decimal degrees within range", field: "coordinates[\(index)]")
                    }
                    coordinates.append(coordinate)
                }
            case (_, .string(let text)): options[name] = text
            case (_, .number(let number)): options[name] = "\(number)"
            case (_, .bool(let flag)): options[name] = flag ? "true" : "false"
            case (_, .array(let items)):
                var parts: [String] = []
                for item in items {
                    switch item {
                    case .number(let number) where number == number.rounded() && number >= 0 && number < 1e9: parts.append(String(Int(number)))
                    case .string(let text): parts.append(text)
                    default: throw .invalidOptions("\(name) must hold indices or names", field: name)
                    }
                }
                options[name] = parts.joined(separator: name == "annotations" ? "," : ";")
            default: throw .invalidQuery("\(name) has the wrong type", field: name)
            }
        }
        guard !coordinates.isEmpty else { throw .invalidQuery("coordinates must hold at least one [longitude, latitude]", field: "coordinates") }
        return (coordinates, options)
    }
}
