import GeoCore

/// The coordinates component of an OSRM request path:
/// `{lng},{lat};{lng},{lat}…`, optionally ending in OSRM's `.json`.
enum OSRMCoordinates {
    /// The points, refused with `InvalidQuery` naming `coordinates[i]` when
    /// one is malformed or out of range, and with `TooBig` (or `InvalidQuery`
    /// below the lower bound) when there are not `count` of them.
    static func parse(_ component: String, count: ClosedRange<Int>) throws(OSRMError) -> [Coordinate] {
        let decoded = component.percentDecoded ?? component
        // Split as bytes: splitting the string walks it by grapheme, which
        // was most of the route query's time in a W3 profile.
        let path = decoded.utf8.suffix(5).elementsEqual(".json".utf8) ? decoded.utf8.dropLast(5) : decoded.utf8[...]
        let pairs = path.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        if pairs.count > count.upperBound {
            throw OSRMError(
                status: .badRequest, code: "TooBig",
                message: "at most \(count.upperBound) coordinates are accepted here, got \(pairs.count)", field: "coordinates"
            )
        }
        guard pairs.count >= count.lowerBound else {
            let wanted = count.count == 1 ? "exactly \(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)"
            throw .invalidQuery("expected \(wanted) coordinates as lng,lat;lng,lat, got \(pairs.count)", field: "coordinates")
        }
        var points: [Coordinate] = []
        points.reserveCapacity(pairs.count)
        for (index, pair) in pairs.enumerated() { points.append(try coordinate(pair, index: index)) }
        return points
    }

    /// One `lng,lat` pair. A second comma leaves the latitude unparseable.
    /// Nothing is allocated unless the pair is refused: this runs for every
    /// point of every request.
    static func coordinate(_ text: Substring.UTF8View, index: Int) throws(OSRMError) -> Coordinate {
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
