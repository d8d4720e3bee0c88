import Foundation
import RoadModel

/// A routability table in the layout of OSRM's `features/car/*.feature`:
/// a header of tag keys (`node/` for the tags of a node in the way's
/// middle) and expectations (`bothw`, `forw`, `backw`: `x` when a car may
/// travel that way), one row per case. A way with no `highway` column is a
/// `primary`, as in OSRM's scenarios.
struct RoutabilityTable {
    struct Case: CustomStringConvertible {
        var wayTags: [String: String] = ["highway": "primary"]
        var nodeTags: [String: String] = [:]
        var forward: Bool?
        var backward: Bool?
        var both: Bool?

        var description: String { "way \(wayTags.sorted { $0.key < $1.key }) node \(nodeTags)" }

        /// Which directions the profile opens across a node with `nodeTags` in the way.
        func routable(_ profile: CarProfile) -> (forward: Bool, backward: Bool) {
            guard let travel = profile.travel(wayTags), !profile.passage(nodeTags).blocks else { return (false, false) }
            return (travel.forwardSpeed != nil, travel.backwardSpeed != nil)
        }

        /// The expectations this case breaks, empty when it holds.
        func failures(_ profile: CarProfile) -> [String] {
            let (forward, backward) = routable(profile)
            var failures: [String] = []
            if let both = self.both, both ? !(forward && backward) : (forward || backward) {
                failures.append("bothw expected \(both), got forward \(forward) backward \(backward)")
            }
            if let expected = self.forward, expected != forward { failures.append("forw expected \(expected), got \(forward)") }
            if let expected = self.backward, expected != backward { failures.append("backw expected \(expected), got \(backward)") }
            return failures
        }
    }

    let cases: [Case]

    init(_ text: String) {
        let rows = text.split(separator: "\n").map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }.filter { !$0.isEmpty }
        let header = rows[0]
        cases = rows.dropFirst().map { row in
            var entry = Case()
            for (key, value) in zip(header, row) {
                switch key {
                case "bothw": entry.both = value == "x"
                case "forw": entry.forward = value == "x"
                case "backw": entry.backward = value == "x"
                default:
                    guard !value.isEmpty else { continue }
                    if key.hasPrefix("node/") { entry.nodeTags[String(key.dropFirst(5))] = value } else { entry.wayTags[key] = value }
                }
            }
            return entry
        }
    }
}
