import Cache
import Foundation
public import GeoCore
public import Storage
import Synchronization

/// Answers route requests leg by leg: snap both ends, then memory, then the
/// `routes` table (`get_cached_route`), then the router, storing what it
/// computes. Concurrent misses for one pair of snapped ends compute once.
/// Tables and nearest snap through the same path.
public final class RouteService: Sendable {
    /// One leg's answer.
    public struct Answer: Sendable {
        public let leg: RouteLeg
        /// True when a stored route served the request (from memory or the table).
        public let cacheHit: Bool
    }

    public let settings: RouteSettings
    private let network: RoadNetwork
    private let repository: RouteRepository
    private let memory: BoundedMemory<LegKey, RouteLeg>
    private let flights = SingleFlight<LegKey, Answer>()
    private let memoryHits = Atomic(0)
    private let metrics = RouteMetrics()

    /// False while the `routes` table is switched off (a feature flag): legs are then computed on every miss in memory.
    private let usesTable: @Sendable () -> Bool

    public init(network: RoadNetwork, repository: RouteRepository, settings: RouteSettings, usesTable: @escaping @Sendable () -> Bool = { true }) {
        self.network = network
        self.repository = repository
        self.settings = settings
        self.usesTable = usesTable
        memory = BoundedMemory(capacity: settings.memoryCapacity)
    }

    /// The router of the network loaded now.
    public func router() throws(RouteFailure) -> RoadRouter {
        guard let router = network.router else { throw .noNetwork }
        return router
    }

    /// Forgets every leg in memory: they were computed on a network being replaced.
    public func forgetLegs() {
        memory.removeAll()
    }

    /// One answer per leg, in order (`rules` holds one rule per point). Each
    /// leg is cached, stored and shared as a two-point route is, so a route
    /// through several points reuses the legs of any other route that had them.
    public func route(profile: String, points: [Coordinate], rules: [EndRule]) async throws -> [Answer] {
        precondition(points.count >= 2 && rules.count == points.count, "a route joins two or more points, each with its rule")
        let router = try router()
        var legs: [Answer] = []
        legs.reserveCapacity(points.count - 1)
        for index in points.indices.dropLast() {
            legs.append(try await leg(profile, points, rules, index: index, router: router))
        }
        return legs
    }

    /// Where each of `points` meets the network under its rule (tables).
    public func ends(_ points: [Coordinate], at indices: [Int], rules: [EndRule]) throws(RouteFailure) -> [Int: RoadEnd] {
        let router = try router()
        var ends: [Int: RoadEnd] = [:]
        for index in indices where ends[index] == nil {
            ends[index] = try end(points[index], index: index, rule: rules[index], router: router)
        }
        return ends
    }

    /// The leg between points `index` and `index + 1`.
    private func leg(_ profile: String, _ points: [Coordinate], _ rules: [EndRule], index: Int, router: RoadRouter) async throws -> Answer {
        let (origin, destination) = (points[index], points[index + 1])
        let legRules = (rules[index], rules[index + 1])
        let asked = LegKey(profile: profile, snapped: false, origin, destination, rules: legRules)
        if let leg = memory.get(asked) {
            // Remembered ends still have to be within the request's radiuses.
            try within(legRules.0.radiusMeters, origin, leg.stored.origin, index: index)
            try within(legRules.1.radiusMeters, destination, leg.stored.destination, index: index + 1)
            return memoryHit(leg)
        }
        let start = try end(origin, index: index, rule: legRules.0, router: router)
        let end = try end(destination, index: index + 1, rule: legRules.1, router: router)
        let key = LegKey(profile: profile, snapped: true, start.point, end.point, rules: legRules)
        // Ends not asked for before, but snapping where a remembered leg's did.
        if let leg = memory.get(key) {
            remember(leg, under: [asked])
            return memoryHit(leg)
        }
        let answer = try await flights.run(key) { [self] in
            try await self.lookUpOrCompute(
                profile, start, end, offTable: !(key.startTravel.isFree && key.endTravel.isFree) || !self.usesTable(), leg: index, router: router
            )
        }
        remember(answer.leg, under: [key, asked])
        return answer
    }

    private func memoryHit(_ leg: RouteLeg) -> Answer {
        memoryHits.wrappingAdd(1, ordering: .relaxed)
        metrics.memory.increment()
        return Answer(leg: leg, cacheHit: true)
    }

    private func remember(_ leg: RouteLeg, under keys: [LegKey]) {
        let oldest = leg.stored.createdAt.addingTimeInterval(Double(settings.maximumAgeMinutes) * 60)
        for key in keys { memory.set(key, leg, validUntil: min(leg.stored.expiresAt, oldest)) }
    }

    /// Memory hits since the last call, for `route_cache_lookups` (the table's
    /// own lookups count themselves in `get_cached_route`).
    public func flushLookups() async throws {
        let hits = memoryHits.exchange(0, ordering: .relaxed)
        do {
            try await repository.recordLookups(hits: hits, misses: 0)
        } catch {
            memoryHits.wrappingAdd(hits, ordering: .relaxed)
            throw error
        }
    }

    /// The table first, then the router. A leg whose ends restrict travel
    /// (bearing, curb) neither reads nor writes the table: the table knows
    /// routes by their ends only, and a restricted route between two points is
    /// not the route between them that any other request should be served.
    /// Nor does any leg while the table is switched off (`offTable`).
    private func lookUpOrCompute(
        _ profile: String, _ start: RoadEnd, _ end: RoadEnd, offTable: Bool, leg: Int, router: RoadRouter
    ) async throws -> Answer {
        if !offTable, let stored = try await repository.cached(
            from: start.point, to: end.point, profile: profile,
            maximumAgeMinutes: settings.maximumAgeMinutes, toleranceMeters: settings.toleranceMeters
        ) {
            metrics.database.increment()
            return Answer(leg: RouteLeg(stored), cacheHit: true)
        }
        metrics.computed.increment()
        guard let computed = try? metrics.timed(metrics.routerTime, { try router.route(from: start, to: end) }) else {
            throw RouteFailure.noRoute(leg: leg)
        }
        let route = computedLeg(computed, profile: profile, start: start, end: end)
        let stored = offTable ? try route.unstored() : try await repository.store(route)
        return Answer(leg: RouteLeg(stored), cacheHit: false)
    }

    /// One leg from each of `starts` to the end beside it in `ends`, computed
    /// on `router` and neither looked up nor stored: the legs of a matched
    /// trace belong to it alone.
    public func legs(from starts: some Collection<RoadEnd>, to ends: some Collection<RoadEnd>, profile: String, router: RoadRouter) throws -> [Answer] {
        try zip(starts, ends).enumerated().map { index, leg in
            metrics.computed.increment()
            guard let computed = try? router.route(from: leg.0, to: leg.1) else { throw RouteFailure.noRoute(leg: index) }
            return Answer(leg: RouteLeg(try computedLeg(computed, profile: profile, start: leg.0, end: leg.1).unstored()), cacheHit: false)
        }
    }

    /// A route computed between two ends, as the `routes` table stores it.
    private func computedLeg(_ computed: Route, profile: String, start: RoadEnd, end: RoadEnd) -> RouteRepository.Computed {
        RouteRepository.Computed(
            profile: profile, origin: start.point, destination: end.point, path: computed.coordinates,
            distanceMeters: computed.distanceMeters, durationSeconds: computed.durationSeconds * settings.trafficMultiplier,
            trafficMultiplier: settings.trafficMultiplier, timeToLiveSeconds: settings.timeToLiveSeconds
        )
    }

    /// Durations and distances from every source to every destination, on `router`.
    public func table(from sources: [RoadEnd], to destinations: [RoadEnd], router: RoadRouter) -> TravelTable {
        table(from: sources, to: router.buckets(to: destinations), router: router)
    }

    /// A table to destinations whose backward searches are done (`RoadRouter.buckets`), which several tables may share.
    public func table(from sources: [RoadEnd], to buckets: DestinationBuckets, router: RoadRouter) -> TravelTable {
        metrics.tableCells.record(sources.count * buckets.destinations.count)
        return metrics.timed(metrics.tableTime) { router.table(from: sources, to: buckets) }
    }

    /// A leg's steps and annotation, as asked, from its route computed again
    /// between its ends under the same rules (a hierarchy query: neither is
    /// stored). Should the network no longer join them, one step and one
    /// segment along the stored line.
    public func details(of leg: RouteLeg, rules: (EndRule, EndRule), steps: Bool, annotations: Bool) throws(RouteFailure) -> LegDetails {
        let router = try router()
        let stored = leg.stored
        func at(_ rule: EndRule) -> EndRule { EndRule(radiusMeters: 1, bearing: rule.bearing, curb: rule.curb) }
        if let start = try? router.end(stored.origin, index: 0, rule: at(rules.0), maximumSnapMeters: 1),
           let end = try? router.end(stored.destination, index: 1, rule: at(rules.1), maximumSnapMeters: 1),
           let route = try? router.route(from: start, to: end) {
            return LegDetails(
                steps: steps ? route.steps(names: { router.graph.edges[Int($0)].name }, totalDuration: stored.durationSeconds) : nil,
                annotation: annotations ? route.annotation(totalDuration: stored.durationSeconds, edges: router.graph.edges) : nil
            )
        }
        return LegDetails(
            steps: steps ? RouteStep.along(stored.path, durationSeconds: stored.durationSeconds, distanceMeters: stored.distanceMeters) : nil,
            annotation: annotations ? RouteAnnotation(distances: [stored.distanceMeters], durations: [stored.durationSeconds]) : nil
        )
    }

    /// Where requested point `index` meets the network: the router's one snapping path, under the service's limit.
    private func end(_ point: Coordinate, index: Int, rule: EndRule, router: RoadRouter) throws(RouteFailure) -> RoadEnd {
        do {
            return try router.end(point, index: index, rule: rule, maximumSnapMeters: settings.maximumSnapMeters)
        } catch {
            throw .noSegment(index: index, limitMeters: min(rule.radiusMeters ?? .infinity, settings.maximumSnapMeters))
        }
    }

    private func within(_ radius: Double?, _ asked: Coordinate, _ snapped: Coordinate, index: Int) throws(RouteFailure) {
        guard let radius, asked.sphericalDistance(to: snapped) > radius else { return }
        throw .noSegment(index: index, limitMeters: radius)
    }
}
