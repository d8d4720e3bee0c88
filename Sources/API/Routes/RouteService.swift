import Cache
import Foundation
import GeoCore
import Storage
import Synchronization

/// Answers route requests: snap both ends, then memory, then the `routes`
/// table (`get_cached_route`), then the router, storing what it computes.
/// Concurrent misses for one pair of snapped ends compute once.
final class RouteService: Sendable {
    /// Both ends to about 0.1 m, and the profile; either the ends as asked
    /// (repeated requests skip snapping) or as snapped (nearby requests share).
    struct Key: Hashable, Sendable {
        let profile: String
        let snapped: Bool
        let startLatitude, startLongitude, endLatitude, endLongitude: Int64

        init(profile: String, snapped: Bool, _ start: Coordinate, _ end: Coordinate) {
            self.snapped = snapped
            func micro(_ degrees: Double) -> Int64 { Int64((degrees * 1e6).rounded()) }
            self.profile = profile
            startLatitude = micro(start.latitude)
            startLongitude = micro(start.longitude)
            endLatitude = micro(end.latitude)
            endLongitude = micro(end.longitude)
        }
    }

    struct Answer: Sendable {
        let route: CachedRoute
        /// True when a stored route served the request (from memory or the table).
        let cacheHit: Bool
    }

    let settings: RouteSettings
    private let network: RoadNetwork
    private let repository: RouteRepository
    let memory: BoundedMemory<Key, CachedRoute>
    private let flights = SingleFlight<Key, Answer>()
    private let memoryHits = Atomic(0)

    init(network: RoadNetwork, repository: RouteRepository, settings: RouteSettings) {
        self.network = network
        self.repository = repository
        self.settings = settings
        memory = BoundedMemory(capacity: settings.memoryCapacity)
    }

    /// The router of the network loaded now; 503 `NoNetwork` before any import.
    func router() throws(OSRMError) -> RoadRouter {
        guard let router = network.router else {
            throw OSRMError(status: .serviceUnavailable, code: "NoNetwork", message: "no road network is imported yet (wayline import-osm FILE.osm.pbf)", field: nil)
        }
        return router
    }

    /// One answer per leg, in order. Each leg is cached, stored and shared as
    /// a two-point route is, so a route through several points reuses the
    /// legs of any other route that had them.
    func route(_ query: RouteQuery) async throws -> [Answer] {
        let router = try router()
        var legs: [Answer] = []
        legs.reserveCapacity(query.points.count - 1)
        for index in query.points.indices.dropLast() {
            legs.append(try await leg(query, index: index, router: router))
        }
        return legs
    }

    /// The route between points `index` and `index + 1` of a request.
    private func leg(_ query: RouteQuery, index: Int, router: RoadRouter) async throws -> Answer {
        let (origin, destination, profile) = (query.points[index], query.points[index + 1], query.profile)
        let asked = Key(profile: profile, snapped: false, origin, destination)
        if let route = memory.get(asked) {
            // Remembered ends still have to be within the request's radiuses.
            try within(query.radiuses[index], origin, route.stored.origin, index: index)
            try within(query.radiuses[index + 1], destination, route.stored.destination, index: index + 1)
            return memoryHit(route)
        }
        let start = try snap(origin, index: index, router: router, radius: query.radiuses[index])
        let end = try snap(destination, index: index + 1, router: router, radius: query.radiuses[index + 1])
        let key = Key(profile: profile, snapped: true, start.point, end.point)
        // Ends not asked for before, but snapping where a remembered route's did.
        if let route = memory.get(key) {
            remember(route, under: [asked])
            return memoryHit(route)
        }
        let answer = try await flights.run(key) { [self] in try await self.lookUpOrCompute(profile, start, end, router: router) }
        remember(answer.route, under: [key, asked])
        return answer
    }

    private func memoryHit(_ route: CachedRoute) -> Answer {
        memoryHits.wrappingAdd(1, ordering: .relaxed)
        return Answer(route: route, cacheHit: true)
    }

    private func remember(_ route: CachedRoute, under keys: [Key]) {
        let oldest = route.stored.createdAt.addingTimeInterval(Double(settings.maximumAgeMinutes) * 60)
        for key in keys { memory.set(key, route, validUntil: min(route.stored.expiresAt, oldest)) }
    }

    /// Memory hits since the last call, for `route_cache_lookups` (the table's
    /// own lookups count themselves in `get_cached_route`).
    func flushLookups() async throws {
        let hits = memoryHits.exchange(0, ordering: .relaxed)
        do {
            try await repository.recordLookups(hits: hits, misses: 0)
        } catch {
            memoryHits.wrappingAdd(hits, ordering: .relaxed)
            throw error
        }
    }

    private func lookUpOrCompute(_ profile: String, _ start: RoadEnd, _ end: RoadEnd, router: RoadRouter) async throws -> Answer {
        if let stored = try await repository.cached(
            from: start.point, to: end.point, profile: profile,
            maximumAgeMinutes: settings.maximumAgeMinutes, toleranceMeters: settings.toleranceMeters
        ) {
            return Answer(route: CachedRoute(stored), cacheHit: true)
        }
        let computed: Route
        do {
            computed = try router.route(from: start, to: end)
        } catch {
            throw OSRMError(status: .notFound, code: "NoRoute", message: "no route joins these coordinates on the road network", field: "coordinates")
        }
        let stored = try await repository.store(
            profile: profile, origin: start.point, destination: end.point, path: computed.coordinates,
            distanceMeters: computed.distanceMeters, durationSeconds: computed.durationSeconds * settings.trafficMultiplier,
            trafficMultiplier: settings.trafficMultiplier, timeToLiveSeconds: settings.timeToLiveSeconds
        )
        return Answer(route: CachedRoute(stored), cacheHit: false)
    }

    /// A stored leg's steps and annotation, as asked, from its route computed
    /// again between its ends (a hierarchy query: neither is stored). Should
    /// the network no longer join them, one step and one segment along the stored line.
    func details(of leg: CachedRoute, steps: Bool, annotations: Bool) throws(OSRMError) -> LegDetails {
        let router = try router()
        let stored = leg.stored
        if let start = router.snap(stored.origin, maximumDistanceMeters: 1), let end = router.snap(stored.destination, maximumDistanceMeters: 1),
           let route = try? router.route(from: start, to: end) {
            return LegDetails(
                steps: steps ? route.steps(names: { router.graph.edges[Int($0)].name }, totalDuration: stored.durationSeconds) : nil,
                annotation: annotations ? route.annotation(totalDuration: stored.durationSeconds) : nil
            )
        }
        return LegDetails(
            steps: steps ? RouteStep.along(stored.path, durationSeconds: stored.durationSeconds, distanceMeters: stored.distanceMeters) : nil,
            annotation: annotations ? RouteAnnotation(distances: [stored.distanceMeters], durations: [stored.durationSeconds]) : nil
        )
    }

    /// Where coordinate `index` of a request meets the network; 400 `NoSegment` beyond the snapping limit.
    /// `radius` (a request's `radiuses`) narrows the service's limit, never widens it.
    func snap(_ point: Coordinate, index: Int, router: RoadRouter, radius: Double? = nil) throws(OSRMError) -> RoadEnd {
        let limit = min(radius ?? .infinity, settings.maximumSnapMeters)
        guard let snap = router.snap(point, maximumDistanceMeters: limit) else { throw noSegment(index, limit) }
        return snap
    }

    private func within(_ radius: Double?, _ asked: Coordinate, _ snapped: Coordinate, index: Int) throws(OSRMError) {
        guard let radius, asked.sphericalDistance(to: snapped) > radius else { return }
        throw noSegment(index, radius)
    }

    private func noSegment(_ index: Int, _ limit: Double) -> OSRMError {
        OSRMError(
            status: .badRequest, code: "NoSegment",
            message: "could not find a road within \(limit.rounded() == limit ? String(Int(limit)) : String(limit)) m of coordinate \(index)",
            field: "coordinates[\(index)]"
        )
    }
}

/// What a leg's answer adds when asked: its steps and its annotation.
struct LegDetails: Sendable {
    let steps: [RouteStep]?
    let annotation: RouteAnnotation?
}
