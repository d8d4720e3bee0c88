public import Foundation
public import GeoCore
public import ServiceLifecycle
import Synchronization

/// The live index's drivers where they join the road network, for nearby
/// by road time: each driver the live index takes or moves is snapped
/// (`RoadRouter.driverStart`, heading-aware) and filed in
/// `DriverPlacements`. Snapping stays off the write path: the index names
/// the drivers that changed, and the next drain (every 100 ms, and before
/// every ranking, so a ranking sees every write acknowledged before it)
/// reads their positions from the index, snaps them outside any lock and
/// files them. A new network places every driver of the index again;
/// without one nothing is kept. Drivers with no road within the snapping
/// limit are kept in an index of their own, so that a ranking can count
/// those within its radius. Positions are never copied here: a driver
/// met by a search is admitted from the live index.
public final class PlacedDrivers: Service, Sendable {
    private struct State {
        var placements: DriverPlacements?
        /// The drivers with no road within the snapping limit.
        var unplaced = MovingPointIndex()

        /// Files where a driver is now; `start` is where it joins the network, nil when it does not.
        mutating func apply(_ id: PointID, _ point: LivePoint?, start: RoadEnd?) {
            placements?.remove(id)
            unplaced.remove(id)
            guard let point, placements != nil else { return }
            if let start {
                placements?.place(id, at: start)
            } else {
                unplaced.upsert(id, at: point.coordinate, updatedAt: point.updatedAt, heading: point.heading, attributes: point.attributes)
            }
        }
    }

    typealias LivePoint = (coordinate: Coordinate, updatedAt: Double, heading: Double?, attributes: Attributes)

    /// The live index's points (its lock), read when drivers are placed and admitted.
    private let points: ReadWriteLock<MovingPointIndex>
    private let network: RoadNetwork
    private let maximumSnapMeters: Double
    /// Drivers changed or removed since the last drain.
    private let pending = Mutex<Set<PointID>>([])
    /// Counts insertions into `pending`, each counted after its insertion.
    private let changes = Atomic<Int>(0)
    /// The count of `changes` that drains have filed: every change counted up
    /// to it is in `state`. A ranking drains when the two differ, so it sees
    /// every write acknowledged before it, even one a drain under way has
    /// taken and not yet filed; with nothing to drain it takes no lock.
    private let filed = Atomic<Int>(0)
    private let state = ReadWriteLock(State())
    /// One drain at a time, so that changes are filed in the order they were read.
    private let draining = Mutex(())
    private let searches = Mutex<[DijkstraSearch]>([])

    init(points: ReadWriteLock<MovingPointIndex>, network: RoadNetwork, maximumSnapMeters: Double) {
        self.points = points
        self.network = network
        self.maximumSnapMeters = maximumSnapMeters
    }

    func changed(_ ids: some Sequence<PointID>) {
        // Without a network nothing is placed: a new one places every driver of the index.
        guard network.router != nil else { return }
        pending.withLock { $0.formUnion(ids) }
        changes.wrappingAdd(1, ordering: .releasing)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                self.drain()
            }
        }
    }

    /// Files the drivers changed since the last drain, or every driver when the network has changed.
    func drain() {
        draining.withLock { _ in
            let router = network.router
            // Read before `pending` is taken: every change counted so far is in it, or was filed before.
            let counted = changes.load(ordering: .acquiring)
            defer { filed.store(counted, ordering: .releasing) }
            let changed = pending.withLock { pending in
                defer { pending.removeAll() }
                return pending
            }
            guard state.withReadLock({ $0.placements?.router === router }) else {
                // Built outside the lock: placing a hundred thousand drivers takes a while.
                var rebuilt = State()
                rebuilt.placements = router.map(DriverPlacements.init)
                let everyone = router == nil ? [] : points.withReadLock { index in index.ids.map { ($0, index.point(for: $0)) } }
                for (id, point) in everyone { rebuilt.apply(id, point, start: start(of: point, on: router)) }
                state.withWriteLock { $0 = rebuilt }
                return
            }
            guard router != nil, !changed.isEmpty else { return }
            let current = points.withReadLock { index in changed.map { ($0, index.point(for: $0)) } }
            let placed = current.map { ($0.0, $0.1, start(of: $0.1, on: router)) }
            state.withWriteLock { state in
                for (id, point, start) in placed { state.apply(id, point, start: start) }
            }
        }
    }

    private func start(of point: LivePoint?, on router: RoadRouter?) -> RoadEnd? {
        guard let point, let router else { return nil }
        return router.driverStart(at: point.coordinate, heading: point.heading, maximumSnapMeters: maximumSnapMeters)
    }

    /// A ranking: the soonest drivers with their times and ways by road, how
    /// many admitted drivers the search met, and how many drivers within the
    /// radius (fresh, passing the filter) have no road within the snapping limit.
    public struct Ranking: Sendable {
        public let drivers: [(driver: NearbyPoint, arrival: DriverPlacements.Arrival)]
        public let met: Int
        public let unplaced: Int
    }

    /// The `limit` drivers within `radiusMeters` of `center`, updated since
    /// `updatedSince` and passing `filter`, who reach `destination` soonest
    /// on `router` (`DriverPlacements.soonest`). Nil when the drivers are not
    /// yet placed on that network, or when the search would settle more than
    /// `maximumSettled` vertices: the caller ranks another way.
    public func soonest(
        to destination: RoadEnd, on router: RoadRouter, center: Coordinate, radiusMeters: Double, limit: Int, updatedSince: Date?,
        filter: AttributeFilter?, maximumSettled: Int, distance: (Coordinate, Coordinate) -> Double
    ) -> Ranking? {
        guard state.withReadLock({ $0.placements?.router === router }) else { return nil }
        if filed.load(ordering: .acquiring) != changes.load(ordering: .acquiring) { drain() }
        let vertexCount = router.graph.vertexCount
        var search = searches.withLock { $0.popLast() }.flatMap { $0.vertexCount == vertexCount ? $0 : nil }
            ?? DijkstraSearch(vertexCount: vertexCount)
        defer { searches.withLock { $0.append(search) } }
        let since = updatedSince?.timeIntervalSince1970 ?? -.infinity
        let filter = filter.flatMap { $0.isEmpty ? nil : $0 }
        // The index's read lock held once for the whole search, not once per driver met.
        return points.withReadLock { index in
            var meters: [PointID: Double] = [:]
            func admit(_ id: PointID) -> Bool {
                guard let point = index.point(for: id), point.updatedAt >= since, filter?.matches(point.attributes) ?? true else { return false }
                // Measured as nearby measures (the closed form up to 100 km, else `distance`).
                let distance = WGS84.shortDistanceMeters(from: center, to: point.coordinate) ?? distance(center, point.coordinate)
                meters[id] = distance
                return distance <= radiusMeters
            }
            return state.withReadLock { state in
                guard state.placements?.router === router,
                      let soonest = state.placements?.soonest(to: destination, limit: limit, maximumSettled: maximumSettled, scratch: &search, admit: admit)
                else { return nil }
                let unplaced = state.unplaced.nearest(
                    to: center, radiusMeters: radiusMeters, limit: state.unplaced.count, updatedSince: since, filter: filter, distance: distance
                ).count
                let drivers = soonest.arrivals.compactMap { arrival -> (NearbyPoint, DriverPlacements.Arrival)? in
                    guard let point = index.point(for: arrival.id), let distance = meters[arrival.id] else { return nil }
                    let driver = NearbyPoint(
                        id: arrival.id, coordinate: point.coordinate, distanceMeters: distance, updatedAt: point.updatedAt,
                        headingDegrees: point.heading, attributes: point.attributes
                    )
                    return (driver, arrival)
                }
                return Ranking(drivers: drivers, met: soonest.met, unplaced: unplaced)
            }
        }
    }
}
