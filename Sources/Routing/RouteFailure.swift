/// Why a routing request cannot be answered, in the domain's terms; the HTTP
/// layer maps each to OSRM's error codes.
public enum RouteFailure: Error, Equatable, Sendable {
    /// No road network has been imported yet.
    case noNetwork
    /// Requested point `index` is farther than `limitMeters` from every road its rule admits.
    case noSegment(index: Int, limitMeters: Double)
    /// Both ends of leg `leg` are on the network, but no open path joins them.
    case noRoute(leg: Int)
}
