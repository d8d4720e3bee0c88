import Foundation

/// What one OpenStreetMap node means to a car passing it: OSRM car.lua's `process_node`.
public struct NodePassage: Sendable, Equatable {
    /// A car cannot pass (a bollard, a wall, `access=no`): the roads that meet here do not connect.
    public var blocks = false
    /// Seconds to pass (a gate).
    public var penaltySeconds: Double = 0
    public var trafficSignal = false

    public static let free = NodePassage()
}

extension CarProfile {
    /// The passage at a node with these tags.
    public func passage(_ tags: [String: String]) -> NodePassage {
        var passage = NodePassage()
        passage.trafficSignal = tags["highway"] == "traffic_signals"
        // An access tag decides over the barrier it is on.
        if let access = resolveAccess(accessHierarchy.lazy.compactMap { tags[$0] }.first) {
            passage.blocks = accessBlocked.contains(access) && !accessRestricted.contains(access)
            return passage
        }
        guard let barrier = tags["barrier"] else { return passage }
        let tooLow = barrier == "height_restrictor" && (tags["maxheight"].flatMap(Self.meters) ?? .infinity) < Self.vehicleHeight
        let exempt = tags["bollard"] == "rising"
            || ["lowered", "flush"].contains(tags["kerb"] ?? "")
            || (barrier == "kerb" && tags["highway"] == "crossing")
            || (barrier == "fence" && ["audible", "audio"].contains(tags["sensory"] ?? ""))
        let penalty = barrierPenalties[barrier]
        passage.blocks = tooLow || (!barriersPassable.contains(barrier) && !exempt && penalty == nil)
        passage.penaltySeconds = penalty ?? 0
        return passage
    }

    /// OSRM's car: 2 m, slightly above the tallest SUVs.
    static let vehicleHeight = 2.0

    /// Metres from `maxheight`: a number (`2.5`, `2,5`, `2.5 m`) or feet and
    /// inches (`6'6"`); nil for `default`, `none` and other words.
    static func meters(_ value: String) -> Double? {
        let text = value.replacingOccurrences(of: ",", with: ".")
        let number = text.prefix { $0.isNumber || $0 == "." }
        guard let amount = Double(number) else { return nil }
        guard let feet = text.firstIndex(of: "'") else { return amount }
        let inches = Double(text[text.index(after: feet)...].prefix { $0.isNumber }) ?? 0
        return (amount * 12 + inches) * 0.0254
    }
}
