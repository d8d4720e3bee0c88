public import Foundation
public import GeoCore
public import ServiceLifecycle
import Synchronization

/// The live index's drivers where they join the road network, for nearby
/// by road time: each position the live index takes is snapped
/// (`RoadRouter.driverStart`, heading-aware) and filed in
/// `DriverPlacements`. Snapping stays off the write path: changes wait,
/// newest per driver, until the next drain (every 100 ms, and before every
/// ranking, so a ranking sees every write acknowledged before it), which
/// snaps them outside the lock and files them under it. A new network
/// places every driver again. Drivers with no road within the snapping
/// limit are kept in an index of their own, so that a ranking can count
/// those within its radius.
public final class PlacedDrivers: Service, Sendable {
    private struct State {
        var placements: DriverPlacements?
        /// Every driver's latest position, placed or not: to admit a driver
        /// met by a search, and to place them all on a new network.
        var positions: [PointID: DriverPosition] = [:]
        /// The drivers with no road within the snapping limit.
        var unplaced = MovingPointIndex()

        /// Files a change; `start` is where the position joins the network, nil when it does not.
        mutating func apply(_ id: PointID, _ position: DriverPosition?, start: RoadEnd?) {
            placements?.remove(id)
            unplaced.remove(id)
            positions[id] = position
            guard let position, placements != nil else { return }
            if let start {
                placements?.place(id, at: start)
            } else {
                unplaced.upsert(
                    id, at: position.coordinate, updatedAt: position.updatedAt.timeIntervalSince1970, heading: position.headingDegrees,
                    attributes: position.attributes
                )
            }
        }
    }

    private let network: RoadNetwork
    private let maximumSnapMeters: Double
    /// Changes not yet filed, newest per driver (nil: removed).
    private let pending = Mutex<[PointID: DriverPosition?]>([:])
    private let state = ReadWriteLock(State())
    /// One drain at a time, so changes are filed in the order they were taken.
    private let draining = Mutex(())
    private let scans = Mutex<[DijkstraSearch]>([])

    /// - Parameter maximumSnapMeters: how far from a road a driver may be and still be placed.
    public init(network: RoadNetwork, maximumSnapMeters: Double) {
        self.network = network
        self.maximumSnapMeters = maximumSnapMeters
    }

    func changed(_ positions: [DriverPosition]) {
        guard !positions.isEmpty else { return }
        pending.withLock { pending in
            for position in positions { pending[PointID(position.userID)] = .some(position) }
        }
    }

    func removed(_ id: PointID) {
        pending.withLock { $0[id] = .some(nil) }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                self.drain()
            }
        }
    }

    /// Files the pending changes, or places every driver again when the network has changed.
    func drain() {
        draining.withLock { _ in
            let router = network.router
            guard state.withReadLock({ $0.placements?.router === router }) else {
                // Built outside the lock: placing a hundred thousand drivers takes a while.
                var positions = state.withReadLock { $0.positions }
                for (id, position) in takePending() { positions[id] = position }
                var rebuilt = State()
                rebuilt.placements = router.map(DriverPlacements.init)
                for (id, position) in positions { rebuilt.apply(id, position, start: start(of: position, on: router)) }
                state.withWriteLock { $0 = rebuilt }
                return
            }
            let changes = takePending().map { ($0.key, $0.value, start(of: $0.value, on: router)) }
            guard !changes.isEmpty else { return }
            state.withWriteLock { state in
                for (id, position, start) in changes { state.apply(id, position, start: start) }
            }
        }
    }

    private func takePending() -> [PointID: DriverPosition?] {
        pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    private func start(of position: DriverPosition?, on router: RoadRouter?) -> RoadEnd? {
        guard let position, let router else { return nil }
        return router.driverStart(at: position.coordinate, heading: position.headingDegrees, maximumSnapMeters: maximumSnapMeters)
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
        drain()
        let vertexCount = router.graph.vertexCount
        var scan = scans.withLock { $0.popLast() }.flatMap { $0.vertexCount == vertexCount ? $0 : nil } ?? DijkstraSearch(vertexCount: vertexCount)
        defer { scans.withLock { $0.append(scan) } }
        let since = updatedSince?.timeIntervalSince1970 ?? -.infinity
        let filter = filter.flatMap { $0.isEmpty ? nil : $0 }
        return state.withReadLock { state in
            guard let placements = state.placements, placements.router === router else { return nil }
            var admitted: [PointID: NearbyPoint] = [:]
            let soonest = placements.soonest(to: destination, limit: limit, maximumSettled: maximumSettled, scratch: &scan) { id in
                guard let position = state.positions[id], position.updatedAt.timeIntervalSince1970 >= since,
                      filter?.matches(position.attributes) ?? true
                else { return false }
                let meters = distance(center, position.coordinate)
                guard meters <= radiusMeters else { return false }
                admitted[id] = NearbyPoint(
                    id: id, coordinate: position.coordinate, distanceMeters: meters, updatedAt: position.updatedAt.timeIntervalSince1970,
                    headingDegrees: position.headingDegrees, attributes: position.attributes
                )
                return true
            }
            guard let soonest else { return nil }
            let unplaced = state.unplaced.nearest(
                to: center, radiusMeters: radiusMeters, limit: state.unplaced.count, updatedSince: since, filter: filter, distance: distance
            ).count
            return Ranking(
                drivers: soonest.arrivals.compactMap { arrival in admitted[arrival.id].map { ($0, arrival) } }, met: soonest.met,
                unplaced: unplaced
            )
        }
    }
}
