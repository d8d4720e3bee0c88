import Foundation
import GeoCore
import Logging
import NIOCore
import PostgresNIO
import RoadModel

/// The road network's tables in one schema, written with COPY: `ways` and
/// `ways_vertices_pgr` in osm2pgrouting's layout (pgRouting takes them as
/// they are), and `restrictions` as `pgr_trsp` takes them.
struct RoadNetworkTables {
    let schema: String
    let logger: Logger

    func write(_ model: RoadNetworkModel, turns: [TurnCost], client: PostgresClient) async throws {
        try await client.query("""
            CREATE TABLE \(unescaped: schema).ways (
                gid int8 PRIMARY KEY, osm_id int8 NOT NULL, source int8 NOT NULL, target int8 NOT NULL,
                cost_s float8 NOT NULL, reverse_cost_s float8 NOT NULL, length_m float8 NOT NULL,
                name text NOT NULL, highway text NOT NULL, ferry bool NOT NULL,
                forward_restricted bool NOT NULL, backward_restricted bool NOT NULL,
                node_ids int8[] NOT NULL, the_geom geometry(LineString, 4326) NOT NULL)
            """)
        try await client.query("""
            CREATE TABLE \(unescaped: schema).ways_vertices_pgr (
                id int8 PRIMARY KEY, osm_id int8 NOT NULL, barrier bool NOT NULL, penalty_s float8 NOT NULL,
                traffic_signal bool NOT NULL, the_geom geometry(Point, 4326) NOT NULL)
            """)
        try await client.query("""
            CREATE TABLE \(unescaped: schema).restrictions (
                id int8 PRIMARY KEY, relation_id int8, cost float8 NOT NULL, path int8[] NOT NULL, via int8)
            """)
        try await client.withTransactionClosedOnFailure(logger: logger) { connection in
            // COPY quotes the table name it is given whole: the schema comes from the search path instead.
            try await connection.query("SET LOCAL search_path TO \(unescaped: schema), public", logger: logger)
            try await copy(into: "ways", model.segments, connection) { segment, line in
                let travel = segment.travel
                line.field(segment.id); line.field(segment.wayID); line.field(segment.source); line.field(segment.target)
                line.field(segment.cost); line.field(segment.reverseCost); line.field(segment.lengthMeters)
                line.field(travel.name); line.field(travel.highway); line.field(travel.isFerry)
                line.field(travel.forwardRestricted); line.field(travel.backwardRestricted)
                line.field(segment.nodes); line.lineString(segment.points)
            }
            try await copy(into: "ways_vertices_pgr", model.vertices, connection) { vertex, line in
                line.field(vertex.id); line.field(vertex.osmNode); line.field(vertex.passage.blocks)
                line.field(vertex.passage.penaltySeconds); line.field(vertex.passage.trafficSignal); line.point(vertex.point)
            }
            // Turns at one vertex, then the restrictions via ways, which forbid longer sequences.
            let rows = turns.map { (relation: $0.relationID, cost: $0.seconds, path: [$0.from, $0.to], via: Optional($0.via)) }
                + model.restrictions.filter { $0.path.count > 2 }.map {
                    (relation: Optional($0.relationID), cost: TurnCost.forbidden, path: $0.path, via: Int64?.none)
                }
            try await copy(into: "restrictions", Array(rows.enumerated()), connection) { entry, line in
                line.field(Int64(entry.offset + 1)); line.field(entry.element.relation)
                line.field(entry.element.cost); line.field(entry.element.path); line.field(entry.element.via)
            }
        }
        try await client.query("CREATE INDEX ON \(unescaped: schema).ways (source)")
        try await client.query("CREATE INDEX ON \(unescaped: schema).ways (target)")
        try await client.query("CREATE INDEX ON \(unescaped: schema).ways_vertices_pgr USING gist (the_geom)")
        try await client.query("ANALYZE \(unescaped: schema).ways")
        try await client.query("ANALYZE \(unescaped: schema).ways_vertices_pgr")
    }

    /// Streams rows in COPY's text format, about a megabyte at a time.
    private func copy<Row>(
        into table: String, _ rows: [Row], _ connection: PostgresConnection, _ format: (Row, inout CopyLine) -> Void
    ) async throws {
        try await connection.copyFrom(table: table, logger: logger) { writer in
            var line = CopyLine()
            for row in rows {
                format(row, &line)
                line.end()
                if line.buffer.readableBytes > 1 << 20 {
                    try await writer.write(line.buffer)
                    line.buffer.clear()
                }
            }
            if line.buffer.readableBytes > 0 { try await writer.write(line.buffer) }
        }
    }
}

/// One row of COPY's text format: fields separated by tabs, with `\`, tab,
/// newline and carriage return escaped.
struct CopyLine {
    var buffer = ByteBuffer()
    private var first = true

    private mutating func separate() {
        if !first { buffer.writeStaticString("\t") }
        first = false
    }

    mutating func end() {
        buffer.writeStaticString("\n")
        first = true
    }

    mutating func field(_ value: Int64) { separate(); buffer.writeString(String(value)) }
    mutating func field(_ value: Double) { separate(); buffer.writeString(String(value)) }
    mutating func field(_ value: Int64?) {
        guard let value else { separate(); buffer.writeStaticString("\\N"); return }
        field(value)
    }
    mutating func field(_ value: Bool) { separate(); buffer.writeStaticString(value ? "t" : "f") }
    mutating func field(_ values: [Int64]) { separate(); buffer.writeString("{\(values.map(String.init).joined(separator: ","))}") }

    mutating func field(_ text: String) {
        separate()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// EWKT, which PostGIS's geometry input reads.
    mutating func lineString(_ points: [Coordinate]) {
        separate()
        buffer.writeString("SRID=4326;LINESTRING(\(points.map { "\($0.longitude) \($0.latitude)" }.joined(separator: ",")))")
    }

    mutating func point(_ point: Coordinate) {
        separate()
        buffer.writeString("SRID=4326;POINT(\(point.longitude) \(point.latitude))")
    }
}
