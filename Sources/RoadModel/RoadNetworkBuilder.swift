public import GeoCore

/// A piece of road between two graph vertices, as the `ways` table holds it.
public struct RoadSegment: Sendable {
    /// 1-based, dense: pgRouting's edge id.
    public let id: Int64
    public let wayID: Int64
    public let source: Int64
    public let target: Int64
    /// OpenStreetMap node ids along the segment, source first.
    public let nodes: [Int64]
    public let points: [Coordinate]
    public let lengthMeters: Double
    /// Seconds along and against the drawing direction; -1 where closed.
    public let cost: Double
    public let reverseCost: Double
    public let travel: WayTravel
}

/// A graph vertex: an OpenStreetMap node where roads meet or end, or a
/// barrier. A blocking barrier is one vertex per road that reaches it, so
/// they do not connect.
public struct RoadVertex: Sendable {
    /// 1-based, dense: pgRouting's vertex id.
    public let id: Int64
    public let osmNode: Int64
    public let point: Coordinate
    public let passage: NodePassage
}

/// A turn restriction resolved to segments: the sequence `path` (from
/// segment, any via segments, to segment) is forbidden, as a pgRouting
/// `pgr_trsp` restriction row states it.
public struct TurnRestriction: Sendable, Equatable {
    public let relationID: Int64
    public let path: [Int64]
    /// The vertex of a turn between two segments (a u-turn could be at either end); nil for longer sequences.
    public let via: Int64?
}

/// The network a car may drive, built from an extract's objects under a profile.
public struct RoadNetworkModel: Sendable {
    public var segments: [RoadSegment] = []
    public var vertices: [RoadVertex] = []
    public var restrictions: [TurnRestriction] = []
    /// Restriction relations that name ways or nodes not in the network, or do not meet.
    public var unresolvedRestrictions = 0
}

/// Feeds on an extract's objects in OPL order (nodes, then ways, then
/// relations) and builds the routable network.
public struct RoadNetworkBuilder {
    private let profile: CarProfile
    private var nodeIndex: [Int64: Int32] = [:]
    private var longitudes: [Double] = []
    private var latitudes: [Double] = []
    private var passages: [Int32: NodePassage] = [:]
    private var ways: [(id: Int64, travel: WayTravel, nodes: [Int32])] = []
    private var relations: [(id: Int64, tags: [String: String], members: [OSMMember])] = []

    public init(profile: CarProfile = .car) {
        self.profile = profile
    }

    public mutating func add(_ object: OSMObject) {
        switch object {
        case .node(let id, let longitude, let latitude, let tags):
            guard (try? Coordinate(latitude: latitude, longitude: longitude)) != nil else { return }
            let index = Int32(longitudes.count)
            nodeIndex[id] = index
            longitudes.append(longitude)
            latitudes.append(latitude)
            if !tags.isEmpty {
                let passage = profile.passage(tags)
                if passage != .free { passages[index] = passage }
            }
        case .way(let id, let tags, let nodes):
            guard let travel = profile.travel(tags) else { return }
            // A node the extract lacks (cut at its border) ends the way's piece there.
            ways.append((id, travel, nodes.map { nodeIndex[$0] ?? -1 }))
        case .relation(let id, let tags, let members):
            if tags["type"] == "restriction" { relations.append((id, tags, members)) }
        }
    }

    public func build() -> RoadNetworkModel {
        var model = RoadNetworkModel()
        let osmIDs = inverseIndex()
        // A node is a vertex where a way ends, where ways meet (or one way meets itself), or at a barrier.
        var uses = [UInt8](repeating: 0, count: longitudes.count)
        for way in ways {
            for node in way.nodes where node >= 0 { uses[Int(node)] = min(uses[Int(node)] &+ 1, 2) }
            for end in [way.nodes.first, way.nodes.last].compactMap({ $0 }) where end >= 0 { uses[Int(end)] = 2 }
        }
        for node in passages.keys { uses[Int(node)] = 2 }

        var vertexOf: [Int32: Int64] = [:]
        func vertex(_ node: Int32) -> Int64 {
            let blocks = passages[node]?.blocks ?? false
            if !blocks, let known = vertexOf[node] { return known }
            let id = Int64(model.vertices.count + 1)
            model.vertices.append(RoadVertex(id: id, osmNode: osmIDs[Int(node)], point: point(node), passage: passages[node] ?? .free))
            if !blocks { vertexOf[node] = id }
            return id
        }
        // Segments by (way, node) where they end, to resolve restrictions.
        var segmentsAt: [NodeOfWay: [Int64]] = [:]
        for way in ways {
            let wayLength = pieces(of: way.nodes).reduce(0) { $0 + length($1) }
            for piece in pieces(of: way.nodes) {
                var start = 0
                for position in 1..<piece.count where uses[Int(piece[position])] >= 2 || position == piece.count - 1 {
                    let nodes = Array(piece[start...position])
                    start = position
                    let meters = length(nodes)
                    let segment = RoadSegment(
                        id: Int64(model.segments.count + 1), wayID: way.id,
                        source: vertex(nodes.first!), target: vertex(nodes.last!),
                        nodes: nodes.map { osmIDs[Int($0)] }, points: nodes.map(point), lengthMeters: meters,
                        cost: seconds(meters, way.travel.forwardSpeed, way.travel, wayLength),
                        reverseCost: seconds(meters, way.travel.backwardSpeed, way.travel, wayLength),
                        travel: way.travel
                    )
                    model.segments.append(segment)
                    for end in [nodes.first!, nodes.last!] { segmentsAt[NodeOfWay(way: way.id, node: end), default: []].append(segment.id) }
                }
            }
        }
        let resolver = RestrictionResolver(
            profile: profile, nodeIndex: nodeIndex, segmentsAt: segmentsAt, segments: model.segments, vertexOf: vertexOf
        )
        for relation in relations {
            if let resolved = resolver.resolve(id: relation.id, tags: relation.tags, members: relation.members) {
                model.restrictions += resolved
            } else if resolver.applies(relation.tags) {
                model.unresolvedRestrictions += 1
            }
        }
        return model
    }

    /// The runs of a way's nodes the extract holds, each at least two nodes long.
    private func pieces(of nodes: [Int32]) -> [[Int32]] {
        nodes.split(separator: -1).map(Array.init).filter { $0.count >= 2 }
    }

    private func point(_ node: Int32) -> Coordinate {
        // Checked when the node was added.
        try! Coordinate(latitude: latitudes[Int(node)], longitude: longitudes[Int(node)])
    }

    private func length(_ nodes: [Int32]) -> Double {
        zip(nodes, nodes.dropFirst()).reduce(0) { $0 + point($1.0).sphericalDistance(to: point($1.1)) }
    }

    /// Travel time over `meters` at `speed` km/h; a timed ferry shares its
    /// duration by length. -1 where closed.
    private func seconds(_ meters: Double, _ speed: Double?, _ travel: WayTravel, _ wayLength: Double) -> Double {
        guard let speed else { return -1 }
        if let duration = travel.durationSeconds { return wayLength > 0 ? duration * meters / wayLength : duration }
        return meters / (speed / 3.6)
    }

    private func inverseIndex() -> [Int64] {
        var ids = [Int64](repeating: 0, count: longitudes.count)
        for (id, index) in nodeIndex { ids[Int(index)] = id }
        return ids
    }
}

struct NodeOfWay: Hashable {
    let way: Int64
    let node: Int32
}
