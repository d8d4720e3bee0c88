/// Failures of the GEOS and PROJ wrappers. Messages name the operation, never
/// library internals, so they are safe to log and to map to client errors.
public enum GeometryError: Error, Equatable, Sendable {
    /// PROJ could not build a transformation for this CRS.
    case projectionUnavailable(epsg: Int)
    /// A point could not be transformed (outside the projection's domain).
    case transformFailed
    /// GEOS rejected a geometry or failed an operation.
    case geosFailed(operation: String)
    /// A line string needs at least two points.
    case tooFewPoints(Int)
    /// A tolerance must be finite and non-negative.
    case invalidTolerance(Double)
}
