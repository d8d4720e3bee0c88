import Foundation
import GeoCore
import Geometry
import Storage

/// `PUT /v1/geofences/{id}`'s body:
///
///     {"geometry": <GeoJSON Polygon or MultiPolygon>}   or   {"circle": {"lat": 43.7, "lng": 7.4, "radius_m": 500}}
///     "detect": ["enter", "exit", "inside"]      (default enter and exit)
///     "location_type": "current"                 (default: every type)
///     "where": ["status:available"], "wherein": ["vehicle_class:xl,suv"]   (as nearby's)
///     "webhook": {"url": "https://…", "secret": "…"}   (optional: events can be pulled instead)
///
/// Every broken rule is reported, each naming its field
/// (`geometry.coordinates[0][3]`); GEOS's reason names an invalid polygon.
enum GeofenceBody {
    /// Positions in one fence at most: bounds the work of preparing it and of each test.
    static var maximumPositions: Int { 10_000 }
    static var maximumSecretLength: Int { 256 }
    static var minimumSecretLength: Int { 16 }

    static func parse(_ body: JSONValue, tenant: String, id: String) throws(FieldErrors) -> (Geofence, PreparedFenceArea) {
        guard case .object = body else { throw FieldErrors([FieldError("body", "must be a JSON object")]) }
        var reader = FieldReader(body)
        let area = self.area(body, &reader)
        let detect = self.detect(body["detect"], &reader)
        var type: LocationType?
        if let text = reader.string("location_type", maximumLength: 16) {
            type = LocationType(rawValue: text)
            if type == nil { reader.fail("location_type", "must be one of \(LocationType.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        var filter: AttributeFilter?
        if let equalities = strings(body["where"], "where", &reader), let memberships = strings(body["wherein"], "wherein", &reader) {
            do throws(FieldErrors) {
                filter = try NearbyFilter.parse(where: equalities, wherein: memberships)
            } catch {
                error.errors.forEach { reader.fail($0) }
            }
        }
        let webhook = self.webhook(body["webhook"], &reader)
        var prepared: PreparedFenceArea?
        if let area, reader.errors.isEmpty {
            do throws(FenceAreaError) {
                prepared = try PreparedFenceArea(area)
            } catch {
                reader.fail(body["circle"] != nil ? "circle" : "geometry", error.rule)
            }
        }
        guard reader.errors.isEmpty, let area, let detect, let prepared else { throw FieldErrors(reader.errors) }
        let fence = Geofence(tenant: tenant, id: id, area: area, detect: detect, locationType: type, filter: filter, webhook: webhook)
        return (fence, prepared)
    }

    private static func area(_ body: JSONValue, _ reader: inout FieldReader) -> FenceArea? {
        switch (body["geometry"], body["circle"]) {
        case (nil, nil):
            reader.fail("geometry", "is required: a GeoJSON Polygon or MultiPolygon, or else a circle")
            return nil
        case (let geometry?, nil):
            return polygons(geometry, &reader)
        case (nil, let circle?):
            guard case .object = circle else {
                reader.fail("circle", "must be an object with lat, lng and radius_m")
                return nil
            }
            var fields = FieldReader(circle, prefix: "circle.")
            let lat = fields.number("lat", in: -90...90, required: true)
            let lng = fields.number("lng", in: -180...180, required: true)
            let radius = fields.number("radius_m", in: 0.01...20_000_000, required: true, rule: "must be between 0.01 and 20000000 metres")
            fields.errors.forEach { reader.fail($0) }
            guard let lat, let lng, let radius, let center = try? Coordinate(latitude: lat, longitude: lng) else { return nil }
            return .circle(center: center, radiusMeters: radius)
        case (_?, _?):
            reader.fail("geometry", "give geometry or circle, not both")
            return nil
        }
    }

    /// A GeoJSON Polygon or MultiPolygon's rings.
    private static func polygons(_ geometry: JSONValue, _ reader: inout FieldReader) -> FenceArea? {
        guard case .string(let type)? = geometry["type"], ["Polygon", "MultiPolygon"].contains(type) else {
            reader.fail("geometry.type", "must be Polygon or MultiPolygon")
            return nil
        }
        guard case .array(let items)? = geometry["coordinates"], !items.isEmpty else {
            reader.fail("geometry.coordinates", "must be a non-empty array of \(type == "Polygon" ? "rings" : "polygons")")
            return nil
        }
        let polygons = type == "Polygon" ? [(geometry: JSONValue.array(items), name: "geometry.coordinates")]
            : items.enumerated().map { (geometry: $0.element, name: "geometry.coordinates[\($0.offset)]") }
        var result: [[[Coordinate]]] = []
        var positions = 0
        for polygon in polygons {
            guard case .array(let rings) = polygon.geometry, !rings.isEmpty else {
                reader.fail(polygon.name, "must be a non-empty array of rings")
                return nil
            }
            var parsed: [[Coordinate]] = []
            for (index, ring) in rings.enumerated() {
                guard let points = self.ring(ring, name: "\(polygon.name)[\(index)]", &reader) else { return nil }
                positions += points.count
                parsed.append(points)
            }
            result.append(parsed)
        }
        guard positions <= maximumPositions else {
            reader.fail("geometry.coordinates", "must hold at most \(maximumPositions) positions in all")
            return nil
        }
        return .polygons(result)
    }

    /// A closed linear ring of at least four [longitude, latitude] positions.
    private static func ring(_ value: JSONValue, name: String, _ reader: inout FieldReader) -> [Coordinate]? {
        guard case .array(let items) = value, items.count >= 4 else {
            reader.fail(name, "must be a ring of at least four positions, the last equal to the first")
            return nil
        }
        guard items.count <= maximumPositions else {
            reader.fail(name, "must hold at most \(maximumPositions) positions")
            return nil
        }
        var points: [Coordinate] = []
        for (index, item) in items.enumerated() {
            guard case .array(let pair) = item, pair.count == 2 || pair.count == 3,
                  case .number(let lng) = pair[0], case .number(let lat) = pair[1],
                  let point = try? Coordinate(latitude: lat, longitude: lng) else {
                reader.fail("\(name)[\(index)]", "must be a position [longitude, latitude] with longitude in [-180, 180] and latitude in [-90, 90]")
                return nil
            }
            points.append(point)
        }
        guard points.first == points.last else {
            reader.fail(name, "must be closed: its last position equal to its first")
            return nil
        }
        return points
    }

    private static func detect(_ value: JSONValue?, _ reader: inout FieldReader) -> Set<Geofence.Detect>? {
        guard let value, value != .null else { return [.enter, .exit] }
        let rule = "must be a non-empty array of enter, exit and inside"
        guard case .array(let items) = value, !items.isEmpty else {
            reader.fail("detect", rule)
            return nil
        }
        var detect: Set<Geofence.Detect> = []
        for item in items {
            guard case .string(let text) = item, let kind = Geofence.Detect(rawValue: text) else {
                reader.fail("detect", rule)
                return nil
            }
            detect.insert(kind)
        }
        return detect
    }

    /// An optional array of strings (empty when absent); nil after an error.
    private static func strings(_ value: JSONValue?, _ field: String, _ reader: inout FieldReader) -> [String]? {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else {
            reader.fail(field, "must be an array of conditions such as \"status:available\"")
            return nil
        }
        var strings: [String] = []
        for item in items {
            guard case .string(let text) = item else {
                reader.fail(field, "must be an array of conditions such as \"status:available\"")
                return nil
            }
            strings.append(text)
        }
        return strings
    }

    /// `{"url", "secret"}`: an http(s) URL with a host and no user information
    /// (a secret never travels in a URL), and a secret of 16 to 256 characters.
    private static func webhook(_ value: JSONValue?, _ reader: inout FieldReader) -> Geofence.Webhook? {
        guard let value, value != .null else { return nil }
        guard case .object = value else {
            reader.fail("webhook", "must be an object with url and secret")
            return nil
        }
        var fields = FieldReader(value, prefix: "webhook.")
        let url = fields.string("url", maximumLength: 2_048)
        let secret = fields.string("secret", maximumLength: maximumSecretLength)
        if let url {
            let parts = URLComponents(string: url)
            if !(["http", "https"].contains(parts?.scheme?.lowercased() ?? "")) || (parts?.host ?? "").isEmpty {
                fields.fail("url", "must be an http or https URL with a host")
            } else if parts?.user != nil || parts?.password != nil {
                fields.fail("url", "must not hold user information: the secret signs each request instead")
            }
        } else if value["url"] == nil || value["url"] == .null {
            fields.fail("url", "is required")
        }
        if let secret {
            if secret.unicodeScalars.count < minimumSecretLength { fields.fail("secret", "must be at least \(minimumSecretLength) characters") }
        } else if value["secret"] == nil || value["secret"] == .null {
            fields.fail("secret", "is required")
        }
        fields.errors.forEach { reader.fail($0) }
        guard fields.errors.isEmpty, let url, let secret else { return nil }
        return Geofence.Webhook(url: url, secret: secret)
    }
}
