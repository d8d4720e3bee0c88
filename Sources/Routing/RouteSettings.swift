/// The route endpoint's settings, configurable per deployment.
public struct RouteSettings: Sendable {
    /// Profiles this service routes; all use the imported car network.
    public var profiles: Set<String> = ["driving", "car"]
    /// An end farther than this from every road is a `NoSegment` error.
    public var maximumSnapMeters = 500.0
    /// A stored route serves a request whose snapped ends are each within
    /// this distance of its own: the same points, to the memory key's 0.1 m.
    /// Not the seed's default 50 m: 30 m away, across a one-way or a river,
    /// the route is another one, and serving a neighbour's is a wrong answer.
    public var toleranceMeters = 0.1
    /// Stored routes older than this are computed afresh.
    public var maximumAgeMinutes = 60
    /// How long a computed route is kept in the `routes` table.
    public var timeToLiveSeconds = 86_400
    /// Multiplies computed durations (stored with each route).
    public var trafficMultiplier = 1.0
    /// Routes kept in memory per instance.
    public var memoryCapacity = 10_000
    /// How often lookups answered from memory are added to `route_cache_lookups`.
    public var lookupFlushInterval = Duration.seconds(10)
    /// Largest deviation of `overview=simplified` from the full shape.
    public var simplifyToleranceMeters = 5.0
    /// Most points of one route (OSRM's clients send up to 25 by default).
    public var maximumRoutePoints = 25
    /// Most stops of one trip (OSRM's default `max-trip-size`).
    public var maximumTripPoints = 100
    /// Most points of one trace to match (OSRM's default `max-matching-size`).
    public var maximumMatchPoints = 100
    /// Largest GPS accuracy (`radiuses`) of a trace point to match; candidates are searched within three times it.
    public var maximumMatchRadiusMeters = 100.0
    /// Most coordinates of a table by GET (OSRM's default is 100).
    public var maximumTableCoordinates = 100
    /// Most coordinates of a table by POST, Wayline's extension.
    public var maximumPostTableCoordinates = 1_000
    /// Most results of a nearest request (`number`).
    public var maximumNearest = 100

    public init() {}
}
