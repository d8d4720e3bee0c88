/// What a request asks of one end besides its point (OSRM's `radiuses`,
/// `bearings` and `approaches`): how far its road may be, which way a
/// vehicle there may be heading, and whether it must stop at the curb.
public struct EndRule: Sendable, Hashable {
    /// Narrows the service's snapping limit, never widens it (nil: the service's limit).
    public var radiusMeters: Double?
    public var bearing: Bearing?
    /// OSRM's `approaches=curb`: on a two-way road, travel past the point with
    /// it on the right (traffic drives on the right), so a pickup is on the
    /// driver's side of the street. One-way roads are left as they are.
    public var curb: Bool

    public init(radiusMeters: Double? = nil, bearing: Bearing? = nil, curb: Bool = false) {
        self.radiusMeters = radiusMeters
        self.bearing = bearing
        self.curb = curb
    }

    public static let none = EndRule()
}

/// A heading and how far travel may turn from it: OSRM's `bearings=value,range`.
public struct Bearing: Sendable, Hashable {
    /// Degrees clockwise from true north, 0 to 359.
    public let degrees: Int
    /// Degrees either side of `degrees`, 0 to 180.
    public let range: Int

    public init?(degrees: Int, range: Int) {
        guard (0...359).contains(degrees), (0...180).contains(range) else { return nil }
        self.degrees = degrees
        self.range = range
    }

    /// Whether travel heading `heading` degrees (any real angle) is within the range.
    public func admits(_ heading: Double) -> Bool {
        var difference = abs(heading - Double(degrees)).truncatingRemainder(dividingBy: 360)
        if difference > 180 { difference = 360 - difference }
        return difference <= Double(range)
    }
}

/// Which ways along its edge a route may travel through a snapped point.
public struct Travel: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// From the edge's source towards its target.
    public static let forward = Travel(rawValue: 1)
    public static let backward = Travel(rawValue: 2)
    public static let both: Travel = [.forward, .backward]
}
