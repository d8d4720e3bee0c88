public import Foundation
public import GeoCore
import Synchronization

/// The in-memory index of `current` positions an instance answers nearby
/// queries from: fed by this instance's own committed writes and by
/// `LiveIndexFollower` for everyone else's. Not `ready` until the follower has
/// loaded the table once; until then callers use PostGIS.
public final class LiveDriverIndex: Sendable {
    private let state = ReadWriteLock(MovingPointIndex())
    // Apart from the index: every nearby query asks, and a second trip
    // through the lock showed up as contention in a profile of W1.
    private let ready = Atomic(false)
    /// When the follower last caught up with the table (milliseconds since 1970; 0 before).
    private let syncedMilliseconds = Atomic(0)
    /// Where the drivers join the road network, told of every change; nil without a network to route on.
    public let placed: PlacedDrivers?

    /// - Parameters:
    ///   - network: the road network nearby by road time ranks on, if any.
    ///   - driverSnapMeters: how far from a road a driver may be and still be placed on it.
    public init(network: RoadNetwork? = nil, driverSnapMeters: Double = 100) {
        let points = state
        placed = network.map { PlacedDrivers(points: points, network: $0, maximumSnapMeters: driverSnapMeters) }
    }

    /// The index may miss other instances' writes: the follower has not
    /// caught up with the table for over two seconds (ten polls), as while
    /// the database is away. This instance's own writes are in it regardless.
    public var mayBeStale: Bool {
        Int(Date().timeIntervalSince1970 * 1000) - syncedMilliseconds.load(ordering: .relaxed) > 2_000
    }

    /// When the follower last caught up with the table.
    public var syncedAt: Date { Date(timeIntervalSince1970: Double(syncedMilliseconds.load(ordering: .relaxed)) / 1000) }

    func markSynced(at date: Date) {
        syncedMilliseconds.store(Int(date.timeIntervalSince1970 * 1000), ordering: .relaxed)
    }

    public var isReady: Bool { ready.load(ordering: .acquiring) }
    public var count: Int { state.withReadLock { $0.count } }

    func markReady() {
        ready.store(true, ordering: .releasing)
    }

    /// Applies stored rows; other types are ignored. Older rows never replace newer ones.
    public func apply(_ locations: [StoredLocation]) {
        apply(locations.lazy.filter { $0.type == .current }.map {
            DriverPosition(
                userID: $0.userID, coordinate: $0.coordinate, updatedAt: $0.updatedAt, headingDegrees: $0.headingDegrees,
                attributes: $0.attributes ?? .empty
            )
        })
    }

    /// Applies positions; older ones never replace newer ones.
    func apply(_ positions: some Sequence<DriverPosition>) {
        let changed = state.withWriteLock { index in
            positions.compactMap { position -> PointID? in
                let id = PointID(position.userID)
                let moved = index.upsert(
                    id, at: position.coordinate, updatedAt: position.updatedAt.timeIntervalSince1970, heading: position.headingDegrees,
                    attributes: position.attributes
                )
                return moved ? id : nil
            }
        }
        placed?.changed(changed)
    }

    /// Removes a user's position if it was not updated after the deletion.
    public func remove(_ userID: UUID, deletedAt: Date) {
        state.withWriteLock { index in
            let key = PointID(userID)
            guard let point = index.point(for: key), point.updatedAt <= deletedAt.timeIntervalSince1970 else { return }
            index.remove(key)
            placed?.changed([key])
        }
    }

    /// k nearest within the radius that pass `filter`, exact on WGS84 through `distance`.
    public func nearest(
        to center: Coordinate,
        radiusMeters: Double,
        limit: Int,
        updatedSince: Date?,
        filter: AttributeFilter? = nil,
        distance: (Coordinate, Coordinate) -> Double
    ) -> [NearbyPoint] {
        state.withReadLock { index in
            index.nearest(
                to: center, radiusMeters: radiusMeters, limit: limit,
                updatedSince: updatedSince?.timeIntervalSince1970 ?? -.infinity, filter: filter, distance: distance
            )
        }
    }
}
