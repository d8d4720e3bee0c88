import Foundation
import GeoCore
import Geometry
import Storage
import Synchronization

/// A stored route in memory, with each rendering of its OSRM route object kept
/// once made: a hit asking for the same geometry and overview costs no
/// encoding, simplification or number formatting.
final class CachedRoute: Sendable {
    /// What a rendering depends on besides the route.
    private struct Rendering: Hashable {
        let geometries: RouteQuery.Geometries
        let overview: RouteQuery.Overview
    }

    let stored: StoredRoute
    /// The snapped ends as OSRM's waypoint `location` arrays (JSON text).
    let originLocation: String
    let destinationLocation: String
    private let renderings = Mutex<[Rendering: String]>([:])

    init(_ stored: StoredRoute) {
        self.stored = stored
        originLocation = Self.position(stored.origin)
        destinationLocation = Self.position(stored.destination)
    }

    private static func position(_ point: Coordinate) -> String {
        var json = JSONWriter(capacity: 64)
        json.position(longitude: point.longitude, latitude: point.latitude)
        return json.text
    }

    /// The members of OSRM's route object for this route (JSON text without
    /// the braces), in the query's geometry format and overview. All but
    /// `cache`, which the response adds: were the hit or miss part of the
    /// rendering, the first hit after the miss that stored the route would
    /// simplify and encode it again.
    func routeMembers(_ query: RouteQuery, simplifier: LineSimplifier, toleranceMeters: Double) throws -> String {
        let rendering = Rendering(geometries: query.geometries, overview: query.overview)
        if let made = renderings.withLock({ $0[rendering] }) { return made }
        let geometry = try geometry(query, simplifier: simplifier, toleranceMeters: toleranceMeters)
        var json = JSONWriter(capacity: 512 + (geometry?.utf8.count ?? 0))
        if let geometry { json.field("geometry", json: geometry) }
        json.beginArray("legs")
        json.beginObject()
        json.field("steps", json: "[]")
        json.field("summary", "")
        json.field("weight", stored.durationSeconds)
        json.field("duration", stored.durationSeconds)
        json.field("distance", stored.distanceMeters)
        json.endObject()
        json.endArray()
        json.field("weight_name", "duration")
        json.field("weight", stored.durationSeconds)
        json.field("duration", stored.durationSeconds)
        json.field("distance", stored.distanceMeters)
        json.field("computed_at", RFC3339.format(stored.createdAt))
        json.field("expires_at", RFC3339.format(stored.expiresAt))
        json.field("traffic_multiplier", stored.trafficMultiplier)
        let text = json.text
        renderings.withLock { $0[rendering] = text }
        return text
    }

    /// The route's shape as OSRM writes it (JSON text: a quoted polyline or a
    /// GeoJSON object), or nil for `overview=false`.
    private func geometry(_ query: RouteQuery, simplifier: LineSimplifier, toleranceMeters: Double) throws -> String? {
        guard query.overview != .none else { return nil }
        let line = query.overview == .full || stored.path.count < 3
            ? stored.path
            : try simplifier.simplify(stored.path, toleranceMeters: toleranceMeters)
        switch query.geometries {
        case .polyline: return JSONWriter.quoted(try Polyline.encode(line, precision: 5))
        case .polyline6: return JSONWriter.quoted(try Polyline.encode(line, precision: 6))
        case .geojson:
            var json = JSONWriter(capacity: 64 + line.count * 24)
            json.beginObject()
            json.field("type", "LineString")
            json.beginArray("coordinates")
            for point in line { json.position(longitude: point.longitude, latitude: point.latitude) }
            json.endArray()
            json.endObject()
            return json.text
        }
    }
}
