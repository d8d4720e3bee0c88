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
        let text = try Self.routeMembers([self], query, simplifier: simplifier, toleranceMeters: toleranceMeters)
        renderings.withLock { $0[rendering] = text }
        return text
    }

    /// The members of one OSRM route object made of `legs` in order: a leg
    /// object each, the totals, one line through all of them, and of
    /// Wayline's members the oldest computation and the earliest expiry.
    /// `details`, when given, holds each leg's steps and annotation, as the query asks.
    static func routeMembers(
        _ legs: [CachedRoute], _ query: RouteQuery, simplifier: LineSimplifier, toleranceMeters: Double, details: [LegDetails]? = nil
    ) throws -> String {
        // Each leg's line starts where the previous one ended: the shared point is kept once.
        var path = legs[0].stored.path
        for leg in legs.dropFirst() { path += leg.stored.path.first == path.last ? leg.stored.path.dropFirst() : leg.stored.path[...] }
        let geometry = try geometry(path, query, simplifier: simplifier, toleranceMeters: toleranceMeters)
        let duration = legs.reduce(0) { $0 + $1.stored.durationSeconds }
        let distance = legs.reduce(0) { $0 + $1.stored.distanceMeters }
        var json = JSONWriter(capacity: 512 + legs.count * 96 + (geometry?.utf8.count ?? 0))
        if let geometry { json.field("geometry", json: geometry) }
        json.beginArray("legs")
        for (index, leg) in legs.enumerated() {
            json.beginObject()
            if let steps = details?[index].steps {
                try OSRMSteps.write(steps, geometries: query.geometries, into: &json)
                json.field("summary", OSRMSteps.summary(steps))
            } else {
                json.field("steps", json: "[]")
                json.field("summary", "")
            }
            if let annotation = details?[index].annotation { OSRMSteps.write(annotation, names: query.annotations, into: &json) }
            json.field("weight", leg.stored.durationSeconds)
            json.field("duration", leg.stored.durationSeconds)
            json.field("distance", leg.stored.distanceMeters)
            json.endObject()
        }
        json.endArray()
        json.field("weight_name", "duration")
        json.field("weight", duration)
        json.field("duration", duration)
        json.field("distance", distance)
        json.field("computed_at", RFC3339.format(legs.map(\.stored.createdAt).min()!))
        json.field("expires_at", RFC3339.format(legs.map(\.stored.expiresAt).min()!))
        json.field("traffic_multiplier", legs[0].stored.trafficMultiplier)
        return json.text
    }

    /// `path` as OSRM writes a route's shape (JSON text: a quoted polyline or
    /// a GeoJSON object), or nil for `overview=false`.
    private static func geometry(_ path: [Coordinate], _ query: RouteQuery, simplifier: LineSimplifier, toleranceMeters: Double) throws -> String? {
        guard query.overview != .none else { return nil }
        let line = query.overview == .full || path.count < 3
            ? path
            : try simplifier.simplify(path, toleranceMeters: toleranceMeters)
        return try encoded(line, query.geometries)
    }

    /// `line` as JSON text in the requested format: a quoted polyline or a GeoJSON LineString.
    static func encoded(_ line: [Coordinate], _ geometries: RouteQuery.Geometries) throws -> String {
        switch geometries {
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
