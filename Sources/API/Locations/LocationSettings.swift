/// Limits of the location API, configurable per deployment.
public struct LocationSettings: Sendable {
    /// Most items in one `POST /v1/locations/batch`.
    public var maximumBatchItems = 1_000
    /// Largest `radius_m` a nearby query may ask for.
    public var maximumRadiusMeters = 50_000.0
    /// Largest `limit` of a nearby query.
    public var maximumResults = 100
    /// Largest `radius_m` of a nearby query with `rank=eta` (`WAYLINE_ETA_MAX_RADIUS_M`).
    public var maximumRoadTimeRadiusMeters = 10_000.0
    /// Most drivers a `rank=eta` query examines (`WAYLINE_ETA_MAX_CANDIDATES`):
    /// each costs a snap and a short search, and beyond this the query is refused.
    public var maximumRoadTimeCandidates = 2_000
    /// How far from a road a driver may be and still be ranked by road time
    /// (`WAYLINE_ETA_MAX_SNAP_M`). Tighter than a route's end (500 m): a car
    /// is on a road give or take its GPS error, and every driver within this
    /// much more than the soonest times' reach must be examined.
    public var maximumDriverSnapMeters = 100.0
    /// Most road vertices a `rank=eta` query's search from the pickup settles
    /// (`WAYLINE_ETA_MAX_VERTICES`) before it ranks the drivers nearest by
    /// straight line instead (fewer than `limit` drivers within reach).
    public var maximumRoadTimeVertices = 50_000
    /// Largest request body, in bytes.
    public var maximumBodyBytes = 1 << 20
    /// How long a `current` position not updated is kept (`WAYLINE_LOCATION_RETENTION`, default 30 days).
    public var retention: Duration = .seconds(30 * 86_400)
    /// How often retention looks for such positions.
    public var retentionInterval: Duration = .seconds(3_600)

    public init() {}
}
