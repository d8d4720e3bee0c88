import Foundation
import GeoCore
import Geometry
@testable import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct PlacedDriversTests {
    /// A ranking sees every driver the index took before it, even while
    /// another drain runs beside it (as the service's drain every 100 ms
    /// does): a drain that has taken the changes and not yet filed them must
    /// not let a ranking pass over them.
    @Test func aRankingSeesEveryDriverTakenBeforeIt() async throws {
        try await RoadNetworkFixture.withImported("monaco") { _, client in
            let router = RoadRouter(graph: try await RoadNetworkRepository(client: client).graph())
            let network = RoadNetwork()
            network.replace(with: router)
            let index = LiveDriverIndex(network: network)
            let placed = try #require(index.placed)
            let pickup = try #require(try await RoadNetworkFixture.vertices(client, roads: 2, open: .both, seed: "placed", limit: 1).first)
            let center = try Coordinate(latitude: pickup.lat, longitude: pickup.lng)
            let destination = try #require(router.snap(center, maximumDistanceMeters: 10))
            placed.drain()
            let geodesic = WGS84Geodesic()
            let draining = Task.detached {
                while !Task.isCancelled { placed.drain() }
            }
            defer { draining.cancel() }
            var missed = 0
            for count in 1...2_000 {
                // Every driver where the pickup is: each reaches it, so each is ranked.
                index.apply([DriverPosition(userID: UUID(), coordinate: center, updatedAt: Date(), headingDegrees: nil, attributes: .empty)])
                let ranking = placed.soonest(
                    to: destination, on: router, center: center, radiusMeters: 1_000, limit: 10_000, updatedSince: nil, filter: nil,
                    maximumSettled: 1_000_000
                ) { geodesic.distanceMeters(from: $0, to: $1) }
                if ranking?.drivers.count != count { missed += 1 }
            }
            #expect(missed == 0)
        }
    }
}
