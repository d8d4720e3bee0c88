/// One road segment as osm2pgrouting writes it to `ways`: two vertices, a
/// travel time in each direction (negative: that direction is closed), its
/// length and its shape from `source` to `target`.
public struct RoadEdge: Sendable, Equatable {
    public let id: Int64
    public let source: Int64
    public let target: Int64
    public let cost: Double
    public let reverseCost: Double
    public let lengthMeters: Double
    public let points: [Coordinate]
    /// The road's name (OpenStreetMap's `name`), "" when it has none.
    public let name: String
    /// The OpenStreetMap node of each of `points`; empty when not known.
    public let osmNodes: [Int64]

    public init(
        id: Int64, source: Int64, target: Int64, cost: Double, reverseCost: Double, lengthMeters: Double, points: [Coordinate], name: String = "",
        osmNodes: [Int64] = []
    ) {
        self.id = id
        self.source = source
        self.target = target
        self.cost = cost
        self.reverseCost = reverseCost
        self.lengthMeters = lengthMeters
        self.points = points
        self.name = name
        self.osmNodes = osmNodes
    }

    var isOpenForward: Bool { cost >= 0 && cost.isFinite }
    var isOpenBackward: Bool { reverseCost >= 0 && reverseCost.isFinite }
}
