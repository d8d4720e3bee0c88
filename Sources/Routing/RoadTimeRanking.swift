public import GeoCore

/// Nearby by road time: of the drivers near a pickup, the ones who reach it
/// soonest by road. One table from every candidate to the pickup
/// (`RouteService.table`: one backward search up the hierarchy from the
/// pickup leaves its costs in buckets, and each candidate's short forward
/// search up meets them), never a route per driver.
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
        /// Candidates with no road within the snapping limit: left out.
        public let unsnapped: Int
        /// Candidates on the network with no open way to the pickup: left out.
        public let unreachable: Int
    }

    /// How far the road's direction may turn from a driver's heading where it
    /// starts (OSRM's bearing range; GPS headings wander by tens of degrees).
    public static let headingRange = 45

    /// Ranks `candidates` by road time to `pickup`.
    /// - Throws: `RouteFailure.noNetwork` before an import, `.noSegment(index: 0, …)` when the pickup is off the roads.
    public static func rank(_ candidates: [NearbyPoint], to pickup: Coordinate, limit: Int, service: RouteService) throws(RouteFailure) -> Answer {
        let router = try service.router()
        guard let destination = try service.ends([pickup], at: [0], rules: [.none])[0] else { throw .noSegment(index: 0, limitMeters: 0) }
        var drivers: [NearbyPoint] = []
        var starts: [RoadEnd] = []
        for candidate in candidates {
            guard let start = start(of: candidate, router: router, maximumSnapMeters: service.settings.maximumSnapMeters) else { continue }
            drivers.append(candidate)
            starts.append(start)
        }
        let table = service.table(from: starts, to: [destination], router: router)
        var ranked: [Ranked] = []
        ranked.reserveCapacity(drivers.count)
        for (row, driver) in drivers.enumerated() {
            guard let duration = table.duration(row, 0), let distance = table.distance(row, 0) else { continue }
            ranked.append(Ranked(driver: driver, durationSeconds: duration * service.settings.trafficMultiplier, routeDistanceMeters: distance))
        }
        let reachable = ranked.count
        ranked.sort { ($0.durationSeconds, $0.driver.id) < ($1.durationSeconds, $1.driver.id) }
        return Answer(ranked: Array(ranked.prefix(limit)), unsnapped: candidates.count - drivers.count, unreachable: drivers.count - reachable)
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
