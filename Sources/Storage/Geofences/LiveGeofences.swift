import Foundation
public import GeoCore
public import Geometry
public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// Every tenant's fences in memory, their areas prepared, for testing each
/// position write. Loaded whole when the instance starts listening on
/// `wayline_geofences` (and again after that connection is lost, since
/// changes may have been missed); after that a notification names a changed
/// fence, and changes arriving together are loaded in one query and one
/// rebuild of the index (a client loading ten thousand fences does not
/// cost ten thousand rebuilds). The instance that changes a fence applies it
/// at once (`apply`), so its next write sees it: into a small overlay
/// tested beside the index, folded into it at the next rebuild.
public final class LiveGeofences: Service, Sendable {
    /// A fence ready for testing.
    public struct Live: Sendable {
        public let key: Int64
        public let fence: Geofence
        public let area: PreparedFenceArea

        public init(key: Int64, fence: Geofence, area: PreparedFenceArea) {
            self.key = key
            self.fence = fence
            self.area = area
        }
    }

    /// The fences at one moment: a batch of writes is tested against one
    /// snapshot, so a fence changed meanwhile is either wholly in its test or not.
    public final class Snapshot: Sendable {
        /// The indexed fences.
        private let indexed: [Int64: Live]
        private let index: AreaIndex
        /// Fences changed since the index was built (nil: deleted): at most `overlayLimit`.
        private let overlay: [Int64: Live?]

        init(_ fences: [Int64: Live]) {
            indexed = fences
            index = AreaIndex(fences.values.sorted { $0.key < $1.key }.map { .init(area: $0.area, value: $0.key) })
            overlay = [:]
        }

        private init(indexed: [Int64: Live], index: AreaIndex, overlay: [Int64: Live?]) {
            self.indexed = indexed
            self.index = index
            self.overlay = overlay
        }

        /// Every fence, the overlay's changes applied.
        var fences: [Int64: Live] {
            var fences = indexed
            for (key, live) in overlay { fences[key] = live }
            return fences
        }

        /// With one fence changed: into the overlay while it is small, else rebuilt.
        func changing(_ key: Int64, to live: Live?) -> Snapshot {
            var overlay = overlay
            overlay[key] = .some(live)
            let changed = Snapshot(indexed: indexed, index: index, overlay: overlay)
            return overlay.count <= LiveGeofences.overlayLimit ? changed : Snapshot(changed.fences)
        }

        public var isEmpty: Bool { indexed.isEmpty && !overlay.values.contains { $0 != nil } }

        public func fence(_ key: Int64) -> Live? {
            if let changed = overlay[key] { return changed }
            return indexed[key]
        }

        /// The keys of the fences whose area holds the update's position and
        /// which watch its type, in key order. Attribute filters are applied
        /// once the stored attributes are known (`GeofenceOutbox`).
        public func candidates(for update: LocationUpdate) -> [Int64] {
            var keys = index.values(containing: update.coordinate)
            if !overlay.isEmpty {
                keys.removeAll { overlay[$0] != nil }
                keys += overlay.values.compactMap { $0 }.filter { $0.area.contains(update.coordinate) }.map(\.key)
                keys.sort()
            }
            return keys.filter {
                let watched = fence($0)?.fence.locationType
                return watched == nil || watched == update.type
            }
        }
    }

    /// Fences a snapshot holds beside its index before the index is rebuilt.
    static let overlayLimit = 64

    private let repository: GeofenceRepository
    private let client: PostgresClient
    private let logger: Logger
    private let snapshot = Mutex(Snapshot([:]))
    /// Keys named by notifications, not yet loaded.
    private let changed = Mutex<Set<Int64>>([])
    private let loaded = Atomic(false)
    /// Returns once the schema is migrated (the table may not exist before).
    private let ready: @Sendable () async -> Void

    public init(client: PostgresClient, ready: @escaping @Sendable () async -> Void = {}, logger: Logger) {
        self.client = client
        self.repository = GeofenceRepository(client: client)
        self.ready = ready
        self.logger = logger
    }

    public var current: Snapshot { snapshot.withLock { $0 } }

    /// Whether the first full load has happened (until then no write is tested).
    public var isLoaded: Bool { loaded.load(ordering: .acquiring) }

    /// Takes a fence this instance has just stored, or drops one it deleted (nil).
    public func apply(key: Int64, _ live: Live?) {
        snapshot.withLock { $0 = $0.changing(key, to: live) }
    }

    public func run() async throws {
        await ready()
        let listener = ChannelListener(client: client, channel: "wayline_geofences", logger: logger)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await listener.run(
                        connected: { await self.reloadAll() },
                        received: { payload in
                            if let key = Int64(payload) { _ = self.changed.withLock { $0.insert(key) } }
                        },
                        lost: {}
                    )
                }
                group.addTask { await self.loadChanges() }
                await group.waitForAll()
            }
        }
    }

    /// Loads the fences that notifications named, every 50 ms while there are some.
    private func loadChanges() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            let keys = changed.withLock { keys in
                defer { keys.removeAll() }
                return keys
            }
            guard !keys.isEmpty else { continue }
            do {
                let stored = try await repository.load(keys: Array(keys))
                let lives = try stored.map(Self.live)
                snapshot.withLock { snapshot in
                    var fences = snapshot.fences
                    for key in keys { fences[key] = nil }
                    for live in lives { fences[live.key] = live }
                    snapshot = Snapshot(fences)
                }
            } catch {
                logger.warnDatabaseFailure("could not load changed geofences (retrying)", error)
                changed.withLock { $0.formUnion(keys) }
            }
        }
    }

    private func reloadAll() async {
        do {
            let lives = try await repository.all().map(Self.live)
            snapshot.withLock { $0 = Snapshot(Dictionary(uniqueKeysWithValues: lives.map { ($0.key, $0) })) }
            loaded.store(true, ordering: .releasing)
            logger.info("geofences loaded", metadata: ["count": "\(lives.count)"])
        } catch {
            logger.warnDatabaseFailure("could not load the geofences", error)
        }
    }

    /// A stored fence prepared for testing.
    public static func live(_ stored: StoredGeofence) throws -> Live {
        Live(key: stored.key, fence: stored.fence, area: try PreparedFenceArea(stored.fence.area))
    }
}
