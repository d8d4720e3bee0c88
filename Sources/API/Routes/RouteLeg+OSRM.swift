import Foundation
import GeoCore
import Geometry
import Routing
import Storage

/// OSRM's route object made of cached legs. Durations, weights and distances
/// are written with one decimal, as OSRM rounds them.
extension RouteLeg {
    /// The snapped ends as OSRM's waypoint `location` arrays (JSON text).
    var originLocation: String { rendering(0) { Self.position(stored.origin) } }
    var destinationLocation: String { rendering(1) { Self.position(stored.destination) } }

    private static func position(_ point: Coordinate) -> String {
        var json = JSONWriter(capacity: 64)
        json.position(longitude: point.longitude, latitude: point.latitude)
        return json.text
    }

    /// The members of OSRM's route object for this leg alone (JSON text
    /// without the braces), in the query's geometry format, overview, steps
    /// and annotations, kept with the leg: steps are the same every time a
    /// leg is asked for them, until a new network replaces the leg. All but
    /// `cache`, which the response adds: were the hit or miss part of the
    /// rendering, the first hit after the miss that stored the route would
    /// simplify and encode it again.
    func routeMembers(
        _ query: RouteQuery, simplifier: LineSimplifier, toleranceMeters: Double, details: () throws -> LegDetails?
    ) throws -> String {
        return try rendering(2 + query.renderingForm) {
            try Self.routeMembers([self], query, simplifier: simplifier, toleranceMeters: toleranceMeters, details: details().map { [$0] })
        }
    }

    /// The members of one OSRM route object made of `legs` in order: a leg
    /// object each, the totals, one line through all of them, and of
    /// Wayline's members the oldest computation and the earliest expiry.
    /// `details`, when given, holds each leg's steps and annotation, as the query asks.
    static func routeMembers(
        _ legs: [RouteLeg], _ query: RouteQuery, simplifier: LineSimplifier, toleranceMeters: Double, details: [LegDetails]? = nil
    ) throws -> String {
        let geometry = try geometry(legs, query, simplifier: simplifier, toleranceMeters: toleranceMeters)
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
            json.totals(duration: leg.stored.durationSeconds, distance: leg.stored.distanceMeters)
            json.endObject()
        }
        json.endArray()
        json.field("weight_name", "duration")
        json.totals(duration: duration, distance: distance)
        json.field("computed_at", RFC3339.format(legs.map(\.stored.createdAt).min()!))
        json.field("expires_at", RFC3339.format(legs.map(\.stored.expiresAt).min()!))
        json.field("traffic_multiplier", legs[0].stored.trafficMultiplier)
        return json.text
    }

    /// The legs' line as OSRM writes a route's shape (JSON text: a quoted
    /// polyline or a GeoJSON object), or nil for `overview=false`. One leg's
    /// full line at precision 5 is the polyline stored with it.
    private static func geometry(_ legs: [RouteLeg], _ query: RouteQuery, simplifier: LineSimplifier, toleranceMeters: Double) throws -> String? {
        guard query.overview != .none else { return nil }
        if legs.count == 1, query.overview == .full, query.geometries == .polyline {
            return JSONWriter.quoted(legs[0].stored.encodedPolyline)
        }
        // Each leg's line starts where the previous one ended: the shared point is kept once.
        var path = legs[0].stored.path
        for leg in legs.dropFirst() { path += leg.stored.path.first == path.last ? leg.stored.path.dropFirst() : leg.stored.path[...] }
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

extension JSONWriter {
    /// `weight`, `duration` and `distance` of a route, leg or step, with one
    /// decimal as OSRM writes them (the weight is the duration here).
    mutating func totals(duration: Double, distance: Double) {
        field("weight", duration, decimals: 1)
        field("duration", duration, decimals: 1)
        field("distance", distance, decimals: 1)
    }
}
