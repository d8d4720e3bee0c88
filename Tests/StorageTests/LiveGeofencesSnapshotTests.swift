import Foundation
import GeoCore
import Geometry
@testable import Storage
import Testing
import TestSupport

/// A snapshot of the fences, changed one fence at a time as the instance
/// that stores them applies them (into the overlay beside the index, and
/// past its limit into a rebuilt index), answers as testing every fence.
@Suite(.timeLimit(.minutes(5))) struct LiveGeofencesSnapshotTests {
    @Test func changesOneAtATimeAnswerAsTestingEveryFence() throws {
        var random = SeededGenerator(seed: 31)
        func circle() throws -> LiveGeofences.Live {
            let center = try Coordinate(
                latitude: 10 + Double(random.next() % 1_000) / 10_000, longitude: 20 + Double(random.next() % 1_000) / 10_000
            )
            let area = FenceArea.circle(center: center, radiusMeters: Double(100 + random.next() % 900))
            let type: LocationType? = random.next() % 3 == 0 ? .home : nil
            let key = Int64(random.next() % 150)
            let fence = Geofence(tenant: "", id: "f\(key)", area: area, detect: [.enter], locationType: type, filter: nil, webhook: nil)
            return LiveGeofences.Live(key: key, fence: fence, area: try PreparedFenceArea(area))
        }
        var snapshot = LiveGeofences.Snapshot([:])
        var fences: [Int64: LiveGeofences.Live] = [:]
        for step in 0..<400 {
            let live = try circle()
            // A fifth of the changes delete a fence.
            let deleted = random.next() % 5 == 0
            snapshot = snapshot.changing(live.key, to: deleted ? nil : live)
            fences[live.key] = deleted ? nil : live
            guard step % 10 == 0 else { continue }
            for _ in 0..<50 {
                let point = try Coordinate(latitude: 10 + Double(random.next() % 1_000) / 10_000, longitude: 20 + Double(random.next() % 1_000) / 10_000)
                let type: LocationType = random.next() % 2 == 0 ? .home : .current
                let update = LocationUpdate(userID: UUID(), type: type, coordinate: point, recordedAt: Date())
                let expected = fences.values.filter { ($0.fence.locationType == nil || $0.fence.locationType == type) && $0.area.contains(point) }
                    .map(\.key).sorted()
                #expect(snapshot.candidates(for: update) == expected, "step \(step)")
            }
            #expect(fences.keys.allSatisfy { snapshot.fence($0)?.key == $0 } && snapshot.fences.count == fences.count)
        }
    }
}
