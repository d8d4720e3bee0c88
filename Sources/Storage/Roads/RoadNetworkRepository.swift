public import GeoCore
public import Logging
import NIOCore
public import PostgresNIO

/// Reads the road network `wayline import-osm` wrote (schema `road_network`,
/// osm2pgrouting's `ways` table) and hears when a new one replaces it.
public struct RoadNetworkRepository: Sendable {
    /// The channel an import notifies once its network is in place.
    public static let channel = "wayline_roads"

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Every edge open in at least one direction; empty when nothing was imported yet.
    public func edges() async throws -> [RoadEdge] {
        let exists = try await client.query("SELECT to_regclass('road_network.ways') IS NOT NULL")
        for try await present in exists.decode(Bool.self) where !present { return [] }
        let rows = try await client.query("""
            SELECT gid::int8, source::int8, target::int8, cost_s, reverse_cost_s, length_m, ST_AsBinary(the_geom), coalesce(name, ''), node_ids
            FROM road_network.ways
            WHERE source IS NOT NULL AND target IS NOT NULL AND (cost_s >= 0 OR reverse_cost_s >= 0)
              AND ST_NPoints(the_geom) >= 2
            ORDER BY gid
            """)
        var edges: [RoadEdge] = []
        // Names repeat along a street: one String kept per name.
        var names: Set<String> = []
        for try await (id, source, target, cost, reverseCost, length, shape, name, nodes) in rows.decode(
            (Int64, Int64, Int64, Double, Double, Double, ByteBuffer, String, [Int64]).self
        ) {
            let interned = names.insert(name).memberAfterInsert
            let points = try LineStringWKB.decode(shape)
            edges.append(RoadEdge(
                id: id, source: source, target: target, cost: cost, reverseCost: reverseCost,
                lengthMeters: length, points: points, name: interned, osmNodes: nodes.count == points.count ? nodes : []
            ))
        }
        return edges
    }

    /// The costs of turns at one vertex (forbidden ones included); the
    /// restrictions via ways, longer sequences, are not read: the router's
    /// turn-expanded graph holds turns between two edges only.
    public func turns() async throws -> [RoadTurn] {
        let exists = try await client.query("SELECT to_regclass('road_network.restrictions') IS NOT NULL")
        for try await present in exists.decode(Bool.self) where !present { return [] }
        var turns: [RoadTurn] = []
        for try await (from, via, to, cost) in try await client.query(
            "SELECT path[1], via, path[2], cost FROM road_network.restrictions WHERE array_length(path, 1) = 2 AND via IS NOT NULL"
        ).decode((Int64, Int64, Int64, Double).self) {
            turns.append(RoadTurn(from: from, via: via, to: to, seconds: cost))
        }
        return turns
    }

    /// The restrictions via ways: sequences of three or more edges no route takes whole.
    public func forbiddenSequences() async throws -> [ForbiddenSequence] {
        let exists = try await client.query("SELECT to_regclass('road_network.restrictions') IS NOT NULL")
        for try await present in exists.decode(Bool.self) where !present { return [] }
        var sequences: [ForbiddenSequence] = []
        for try await path in try await client.query(
            "SELECT path FROM road_network.restrictions WHERE array_length(path, 1) > 2 ORDER BY id"
        ).decode([Int64].self) {
            sequences.append(ForbiddenSequence(edges: path))
        }
        return sequences
    }

    /// The whole network as the router takes it: edges, turn costs and restrictions via ways.
    public func graph() async throws -> RoadGraph {
        RoadGraph(edges: try await edges(), turns: try await turns(), sequences: try await forbiddenSequences())
    }

    /// Announcements of new imports.
    public func imports(logger: Logger) -> ChannelListener {
        ChannelListener(client: client, channel: Self.channel, logger: logger)
    }
}
