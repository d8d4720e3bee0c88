public import GeoCore

/// Nearby by road time: of the drivers near a pickup, the ones who reach it
/// soonest by road.
///
/// Drivers are examined nearest first by straight line, a few dozen at a
/// time: each is snapped to the network, and each group is timed against
/// the pickup by one table (`RouteService.table`: one backward search up
/// the hierarchy from the pickup, done once, leaves its costs in buckets,
/// and each driver's short forward search up meets them), never a route
/// per driver.
/// Examining stops once the next driver cannot be among the soonest: no road
/// is faster than `RoadRouter.fastestMetersPerSecond`, so its straight-line
/// distance, less what snapping may take off at both ends, bounds its time
/// from below, and when that bound exceeds the limit-th soonest time found,
/// it and every farther driver are out. The answer is what timing every
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

    /// How far the road's direction may turn from a driver's heading where it
    /// starts (OSRM's bearing range; GPS headings wander by tens of degrees).
    public static let headingRange = 45

    /// Drivers timed by one table: small enough that the bound cuts in soon, large enough to share the pickup's search.
    static let group = 32

    /// Ranks by road time to `pickup` the drivers `candidates(n)` gives: the
    /// n straight-line nearest within the radius, nearest first (fewer when
    /// the radius holds fewer), with their distances to the pickup.
    /// - Throws: `RouteFailure.noNetwork` before an import, `.noSegment(index: 0, …)` when
    ///   the pickup is off the roads, `TooManyCandidates` when more than `candidateBound` would be examined.
    public static func rank(
        to pickup: Coordinate, limit: Int, candidateBound: Int, service: RouteService, candidates: (Int) -> [NearbyPoint]
    ) throws -> Answer {
        let router = try service.router()
        guard let destination = try service.ends([pickup], at: [0], rules: [.none])[0] else { throw RouteFailure.noSegment(index: 0, limitMeters: 0) }
        let settings = service.settings
        // What snapping may take off a straight line at both ends, with slack
        // for snapping's spherical distances (within 0.5 % of the ellipsoid's).
        let snapAllowance = (settings.maximumSnapMeters + destination.distanceMeters) * 1.01 + 1
        func lowerBound(_ driver: NearbyPoint) -> Double {
            max(0, driver.distanceMeters - snapAllowance) * 0.99 / router.fastestMetersPerSecond * settings.trafficMultiplier
        }
        // The pickup's backward search, done once for every group.
        let pickupBuckets = router.buckets(to: [destination])
        var ranked: [Ranked] = []
        var pending: [(driver: NearbyPoint, start: RoadEnd)] = []
        var (examined, unsnapped, unreachable) = (0, 0, 0)
        func timePending() {
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
        // A few first: where drivers are few or near, that is all it takes.
        // Else every driver the bound allows, at once: a search for more
        // than a few scans the whole radius, however many it returns.
        var asked = min(max(64, limit * 4), candidateBound + 1)
        var fetched = candidates(asked)
        while true {
            if examined == fetched.count {
                guard fetched.count == asked, asked <= candidateBound else { break }  // the radius holds no more
                asked = candidateBound + 1
                fetched = candidates(asked)
                continue
            }
            let driver = fetched[examined]
            if ranked.count == limit, lowerBound(driver) > ranked[limit - 1].durationSeconds { break }
            examined += 1
            guard examined <= candidateBound else { throw TooManyCandidates(bound: candidateBound) }
            if let start = start(of: driver, router: router, maximumSnapMeters: settings.maximumSnapMeters) {
                pending.append((driver, start))
                if pending.count == group { timePending() }
            } else {
                unsnapped += 1
            }
        }
        timePending()
        return Answer(ranked: ranked, examined: examined, unsnapped: unsnapped, unreachable: unreachable)
    }

    /// Where a driver joins the network: where travel within `headingRange`
    /// of its heading is possible, when it has a heading and a road within
    /// the limit allows that (a driver on a one-way street heading away
    /// starts in its direction of travel); else at the nearest road.
    public static func start(of driver: NearbyPoint, router: RoadRouter, maximumSnapMeters: Double) -> RoadEnd? {
        if let heading = driver.headingDegrees, heading.isFinite,
           let bearing = Bearing(degrees: Int(heading.rounded()) % 360, range: headingRange),
           let end = try? router.end(driver.coordinate, index: 0, rule: EndRule(bearing: bearing), maximumSnapMeters: maximumSnapMeters) {
            return end
        }
        return try? router.end(driver.coordinate, index: 0, maximumSnapMeters: maximumSnapMeters)
    }
}
