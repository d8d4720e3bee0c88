/// A point in a projected, metric CRS: easting `x` and northing `y` in metres.
public struct ProjectedPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
