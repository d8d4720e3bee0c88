public import GeoCore
public import Storage

/// Nearby by road time: of the drivers near a pickup, the ones who reach it
/// soonest by road.
///
/// When the drivers are placed on the network (`PlacedDrivers`: the live
/// index's drivers, snapped as they are written), one Dijkstra backwards
/// from the pickup meets them in order of time and stops after the
/// limit-th (`DriverPlacements.soonest`): the work is the road around the
/// pickup, whatever the number of drivers near it. When they are not (the
/// live index has not loaded, or the network was just replaced), or when
/// that search finds too few drivers within reach to stop early, drivers
/// are examined nearest first by straight line, a few dozen at a
/// time, out to a reach that grows only as far as needed: each is snapped to the network, and each group is timed against
/// the pickup by one table (`RouteService.table`: one backward search up
/// the hierarchy from the pickup, done once, leaves its costs in buckets,
/// and each driver's short forward search up meets them), never a route
/// per driver.
/// Examining stops once the next driver cannot be among the soonest: no road
/// is faster than `RoadRouter.fastestMetersPerSecond`, so its straight-line
/// distance, less what snapping may take off at both ends (the drivers'
/// snapping limit and the pickup's own snap), bounds its time from below,
/// and when that bound exceeds the limit-th soonest time found, it and
/// every farther driver are out. The answer is what timing every
/// driver within the radius would give; in a dense town the work is the
/// drivers within a few hundred metres, not the thousands within the radius.
public enum RoadTimeRanking {
    /// A driver within reach, with its time and way by road to the pickup.
    public struct Ranked: Sendable {
        public let driver: NearbyPoint
        public let durationSeconds: Double
        public let routeDistanceMeters: Double
    }

    public struct Answer: Sendable {
        /// The soonest first (ties by user id), at most the limit asked.
        public let ranked: [Ranked]
        /// Drivers looked at, nearest first by straight line, before the rest were ruled out.
        public let examined: Int
        /// Of those, drivers with no road within the snapping limit: left out.
        public let unsnapped: Int
        /// Of those, drivers on the network with no open way to the pickup: left out.
        public let unreachable: Int
    }

    /// More than the bound of drivers would have to be examined.
    public struct TooManyCandidates: Error {
        public let bound: Int
    }

    /// Drivers timed by one table: small enough that the bound cuts in soon, large enough to share the pickup's search.
    static let group = 32

    /// Ranks by `placed(destination, router)`, the search among placed
    /// drivers; nil when it gives nothing. Its work is bounded by the
    /// vertices it may settle, so it runs where it is asked, as a nearby
    /// search does.
    /// - Throws: as `rank` does.
    public static func bySearch(
        to pickup: Coordinate, candidateBound: Int, service: RouteService, placed: (RoadEnd, RoadRouter) -> PlacedDrivers.Ranking?
    ) throws -> Answer? {
        let (router, destination) = try pickupEnd(pickup, service: service)
        guard let ranking = placed(destination, router) else { return nil }
        guard ranking.met + ranking.unplaced <= candidateBound else { throw TooManyCandidates(bound: candidateBound) }
        // Everything met was reachable; everything off the roads within the radius was looked at.
        let multiplier = service.settings.trafficMultiplier
        return Answer(
            ranked: ranking.drivers.map {
                Ranked(driver: $0.driver, durationSeconds: $0.arrival.durationSeconds * multiplier, routeDistanceMeters: $0.arrival.distanceMeters)
            },
            examined: ranking.met + ranking.unplaced, unsnapped: ranking.unplaced, unreachable: 0
        )
    }

    /// The router and where the pickup meets its network.
    private static func pickupEnd(_ pickup: Coordinate, service: RouteService) throws -> (RoadRouter, RoadEnd) {
        let router = try service.router()
        guard let destination = try service.ends([pickup], at: [0], rules: [.none])[0] else { throw RouteFailure.noSegment(index: 0, limitMeters: 0) }
        return (router, destination)
    }

    /// Ranks by road time to `pickup` the drivers within `radiusMeters` that
    /// `candidates(reach, n)` gives: at most n within `reach` metres, nearest
    /// first (ties by id), with their distances to the pickup. The reach grows
    /// from a few hundred metres to the radius only while a farther driver
    /// could still be among the soonest.
    /// - Parameter driverSnapMeters: how far from a road a driver may be and still be ranked.
    /// - Throws: `RouteFailure.noNetwork` before an import, `.noSegment(index: 0, …)` when
    ///   the pickup is off the roads, `TooManyCandidates` when more than `candidateBound` would be examined.
    public static func rank(
        to pickup: Coordinate, radiusMeters: Double, limit: Int, candidateBound: Int, driverSnapMeters: Double, service: RouteService,
        candidates: (_ reach: Double, _ limit: Int) -> [NearbyPoint]
    ) throws -> Answer {
        let (router, destination) = try pickupEnd(pickup, service: service)
        let settings = service.settings
        // What snapping may take off a straight line at both ends, with slack
        // for snapping's spherical distances (within 0.5 % of the ellipsoid's).
        let snapAllowance = (driverSnapMeters + destination.distanceMeters) * 1.01 + 1
        /// The least time by road from a driver `meters` away by straight line.
        func lowerBound(_ meters: Double) -> Double {
            max(0, meters - snapAllowance) * 0.99 / router.fastestMetersPerSecond * settings.trafficMultiplier
        }
        // The pickup's backward search, done once for every group.
        let pickupBuckets = router.buckets(to: [destination])
        var ranked: [Ranked] = []
        var pending: [(driver: NearbyPoint, start: RoadEnd)] = []
        var (examined, unsnapped, unreachable) = (0, 0, 0)
        func timePending() {
            guard !pending.isEmpty else { return }
            let table = service.table(from: pending.map(\.start), to: pickupBuckets, router: router)
            for (row, driver) in pending.map(\.driver).enumerated() {
                guard let duration = table.duration(row, 0), let distance = table.distance(row, 0) else {
                    unreachable += 1
                    continue
                }
                ranked.append(Ranked(driver: driver, durationSeconds: duration * settings.trafficMultiplier, routeDistanceMeters: distance))
            }
            ranked.sort { ($0.durationSeconds, $0.driver.id) < ($1.durationSeconds, $1.driver.id) }
            if ranked.count > limit { ranked.removeLast(ranked.count - limit) }
            pending.removeAll(keepingCapacity: true)
        }
        /// Whether no driver `meters` or more away can be among the soonest.
        func outOfReach(_ meters: Double) -> Bool {
            ranked.count == limit && lowerBound(meters) > ranked[limit - 1].durationSeconds
        }
        // Drivers examined in an earlier, smaller reach (positions may have
        // moved between the fetches: ids, not places, tell them apart).
        var seen = Set<PointID>()
        var reach = min(radiusMeters, max(250, 2 * snapAllowance))
        searching: while true {
            for driver in candidates(reach, candidateBound + 1) where !seen.contains(driver.id) {
                if outOfReach(driver.distanceMeters) { break searching }
                seen.insert(driver.id)
                examined += 1
                guard examined <= candidateBound else { throw TooManyCandidates(bound: candidateBound) }
                if let start = router.driverStart(at: driver.coordinate, heading: driver.headingDegrees, maximumSnapMeters: driverSnapMeters) {
                    pending.append((driver, start))
                    if pending.count == group { timePending() }
                } else {
                    unsnapped += 1
                }
            }
            timePending()
            // Every driver within the reach is examined: the others are at least that far.
            if reach >= radiusMeters || outOfReach(reach) { break }
            reach = min(radiusMeters, reach * 2)
        }
        timePending()
        return Answer(ranked: ranked, examined: examined, unsnapped: unsnapped, unreachable: unreachable)
    }
}
