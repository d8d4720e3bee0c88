import Foundation
import GeoCore
import Geometry
import Storage
import Synchronization

/// A stored route in memory, with each geometry rendering kept once made:
/// a hit asking for the same format and overview costs no encoding or
/// simplification.
final class CachedRoute: Sendable {
    let stored: StoredRoute
    private let renderings = Mutex<[String: String]>([:])

    init(_ stored: StoredRoute) {
        self.stored = stored
    }

    /// The route's shape as OSRM writes it (JSON text: a quoted polyline or a
    /// GeoJSON object), or nil for `overview=false`.
    func geometry(_ query: RouteQuery, simplifier: LineSimplifier, toleranceMeters: Double) throws -> String? {
        guard query.overview != .none else { return nil }
        let name = "\(query.geometries.rawValue)/\(query.overview.rawValue)"
        if let made = renderings.withLock({ $0[name] }) { return made }
        let line = query.overview == .full || stored.path.count < 3
            ? stored.path
            : try simplifier.simplify(stored.path, toleranceMeters: toleranceMeters)
        let text: String
        switch query.geometries {
        case .polyline: text = JSONWriter.quoted(try Polyline.encode(line, precision: 5))
        case .polyline6: text = JSONWriter.quoted(try Polyline.encode(line, precision: 6))
        case .geojson:
            text = #"{"type":"LineString","coordinates":["# + line.map { "[\($0.longitude),\($0.latitude)]" }.joined(separator: ",") + "]}"
        }
        renderings.withLock { $0[name] = text }
        return text
    }
}
