import GeoCore

/// The memory key of a leg: the profile, both ends to about 0.1 m, and what
/// their rules ask of travel through them (a bearing or the curb make another
/// route between the same points; a radius only limits snapping and is
/// checked on every hit). The ends are either as asked (repeated requests skip
/// snapping) or as snapped (nearby requests share).
struct LegKey: Hashable, Sendable {
    let profile: String
    let snapped: Bool
    let startLatitude, startLongitude, endLatitude, endLongitude: Int64
    let startTravel, endTravel: TravelRule

    init(profile: String, snapped: Bool, _ start: Coordinate, _ end: Coordinate, rules: (EndRule, EndRule)) {
        func micro(_ degrees: Double) -> Int64 { Int64((degrees * 1e6).rounded()) }
        self.profile = profile
        self.snapped = snapped
        startLatitude = micro(start.latitude)
        startLongitude = micro(start.longitude)
        endLatitude = micro(end.latitude)
        endLongitude = micro(end.longitude)
        startTravel = TravelRule(rules.0)
        endTravel = TravelRule(rules.1)
    }
}

/// The part of an `EndRule` that changes the route, not only where it may snap.
struct TravelRule: Hashable, Sendable {
    let bearing: Bearing?
    let curb: Bool

    init(_ rule: EndRule) {
        bearing = rule.bearing
        curb = rule.curb
    }

    var isFree: Bool { bearing == nil && !curb }
}
