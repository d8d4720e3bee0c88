import Foundation
import GeoCore
import Geometry
import Logging
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct LiveIndexTests {
    let geodesic = WGS84Geodesic()

    /// The in-memory path and the PostGIS path give the same users, in the same
    /// order, with distances equal within 1 cm: 2,000 random queries in a city,
    /// within 1 km of both poles and on both sides of ±180°. The index measures
    /// with the short-range formula the service uses; PostGIS with Karney's.
    @Test func indexAndPostGISAgree() async throws {
        let regions: [(Double, Double)] = [(-1.95, 30.06), (89.995, 45.0), (-89.995, -120.0), (10.0, 179.995), (-20.0, -179.995)]
        var generator = SeededGenerator(seed: 2026)
        try await TestDatabase.withMigratedDatabase { client in
            let repository = LocationRepository(client: client)
            let index = LiveDriverIndex()
            for region in regions {
                let updates = RandomPoints.near(region, spreadMeters: 3_000, count: 600, using: &generator).map {
                    LocationUpdate(userID: UUID(), type: .current, coordinate: $0, recordedAt: Date())
                }
                index.apply(try await repository.upsert(updates))
            }
            var compared = 0
            for region in regions {
                for query in RandomPoints.near(region, spreadMeters: 1_000, count: 400, using: &generator) {
                    let radius = Double.random(in: 100...3_000, using: &generator)
                    let limit = Int.random(in: 1...25, using: &generator)
                    let fromIndex = index.nearest(to: query, radiusMeters: radius, limit: limit, updatedSince: nil) {
                        geodesic.distanceMeters(from: $0, to: $1)
                    }
                    let fromPostGIS = try await repository.nearby(query, radiusMeters: radius, type: .current, limit: limit, maxAgeSeconds: nil)
                    #expect(fromIndex.map(\.id.uuid) == fromPostGIS.map(\.location.userID), "query \(query) radius \(radius)")
                    #expect(zip(fromIndex, fromPostGIS).allSatisfy { abs($0.distanceMeters - $1.distanceMeters) < 0.01 })
                    compared += 1
                }
            }
            #expect(compared == 2_000)
        }
    }

    /// Instance A writes through its coalescing writer; instance B, which only
    /// follows the database, sees the move within a second. Deletions too.
    @Test func twoInstancesAgreeWithinOneSecond() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let repository = LocationRepository(client: client)
            let indexA = LiveDriverIndex()
            let writerA = LocationWriter(repository: repository) { indexA.apply($0) }
            let indexB = LiveDriverIndex()
            let migrated = SchemaGate()
            migrated.open()
            let followerB = LiveIndexFollower(repository: repository, index: indexB, after: migrated, logger: TestDatabase.logger)
            let driver = UUID()
            let kigali = try Coordinate(latitude: -1.95, longitude: 30.06)
            let moved = try Coordinate(latitude: -1.96, longitude: 30.07)

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await followerB.run() }
                defer { group.cancelAll() }
                while !indexB.isReady { try await Task.sleep(for: .milliseconds(10)) }

                _ = try await writerA.write([LocationUpdate(userID: driver, type: .current, coordinate: kigali, recordedAt: Date())])
                let seen = try await Self.secondsUntil { Self.position(of: driver, in: indexB) == kigali }
                #expect(seen < 1, "B saw the new driver after \(seen) s")

                _ = try await writerA.write([LocationUpdate(userID: driver, type: .current, coordinate: moved, recordedAt: Date())])
                #expect(Self.position(of: driver, in: indexA) == moved, "A applies its own write at once")
                let followed = try await Self.secondsUntil { Self.position(of: driver, in: indexB) == moved }
                #expect(followed < 1, "B saw the move after \(followed) s")

                _ = try await repository.delete(userID: driver, type: .current)
                let removed = try await Self.secondsUntil { indexB.count == 0 }
                #expect(removed < 1, "B saw the deletion after \(removed) s")
            }
        }
    }

    static func position(of driver: UUID, in index: LiveDriverIndex) -> Coordinate? {
        let here = try! Coordinate(latitude: -1.955, longitude: 30.065)
        return index.nearest(to: here, radiusMeters: 5_000, limit: 10, updatedSince: nil) { _, _ in 1 }
            .first { $0.id.uuid == driver }?.coordinate
    }

    /// Waits (up to 5 s) for `condition`; returns how long it took.
    static func secondsUntil(_ condition: () -> Bool) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        while !condition() {
            guard clock.now - start < .seconds(5) else { return 5 }
            try await Task.sleep(for: .milliseconds(10))
        }
        let elapsed = (clock.now - start).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }
}
