public import GeoCore
import CPROJ
import Synchronization

/// Projects WGS84 coordinates to a metric grid (a UTM or UPS zone) and back,
/// through PROJ.
///
/// A PROJ context is not thread-safe, so each projection owns one context and
/// serialises calls on it behind a mutex. Create a projection once and reuse
/// it; creating one reads PROJ's database and costs far more than a transform.
public final class LocalProjection: Sendable {
    /// The grid this projection maps to.
    public let zone: UTMZone
    private let handles: Mutex<Handles>

    private struct Handles: ~Copyable {
        let context: OpaquePointer
        let transform: OpaquePointer

        deinit {
            proj_destroy(transform)
            proj_context_destroy(context)
        }
    }

    /// Builds the transformation WGS84 (EPSG:4326) → `zone`.
    /// - Throws: `GeometryError.projectionUnavailable` when PROJ has no such CRS.
    public init(zone: UTMZone) throws(GeometryError) {
        guard let context = proj_context_create() else { throw .projectionUnavailable(epsg: zone.epsg) }
        guard let raw = proj_create_crs_to_crs(context, "EPSG:4326", "EPSG:\(zone.epsg)", nil) else {
            proj_context_destroy(context)
            throw .projectionUnavailable(epsg: zone.epsg)
        }
        // EPSG:4326 is officially latitude-first; normalising makes both ends
        // x = longitude / easting, y = latitude / northing, like PostGIS.
        let normalized = proj_normalize_for_visualization(context, raw)
        proj_destroy(raw)
        guard let normalized else {
            proj_context_destroy(context)
            throw .projectionUnavailable(epsg: zone.epsg)
        }
        self.zone = zone
        handles = Mutex(Handles(context: context, transform: normalized))
    }

    /// Convenience: the projection for the zone that contains `coordinate`.
    public convenience init(around coordinate: Coordinate) throws(GeometryError) {
        try self.init(zone: UTMZone(containing: coordinate))
    }

    /// Easting and northing of `coordinate` in metres.
    public func project(_ coordinate: Coordinate) throws(GeometryError) -> ProjectedPoint {
        let out = transform(x: coordinate.longitude, y: coordinate.latitude, direction: PJ_FWD)
        guard out.x.isFinite, out.y.isFinite else { throw .transformFailed }
        return ProjectedPoint(x: out.x, y: out.y)
    }

    /// The WGS84 coordinate of a projected point.
    public func unproject(_ point: ProjectedPoint) throws(GeometryError) -> Coordinate {
        let out = transform(x: point.x, y: point.y, direction: PJ_INV)
        do {
            return try Coordinate(latitude: out.y, longitude: out.x)
        } catch {
            throw .transformFailed
        }
    }

    private func transform(x: Double, y: Double, direction: PJ_DIRECTION) -> (x: Double, y: Double) {
        handles.withLock { handles in
            let result = proj_trans(handles.transform, direction, proj_coord(x, y, 0, 0))
            return (result.xy.x, result.xy.y)
        }
    }
}
