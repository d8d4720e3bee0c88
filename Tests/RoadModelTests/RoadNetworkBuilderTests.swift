import GeoCore
@testable import RoadModel
import Testing

/// The builder on small extracts written as osmium's OPL: where ways are cut,
/// what barriers, ferries, limits and restrictions make of them.
@Suite(.timeLimit(.minutes(5)))
struct RoadNetworkBuilderTests {
    /// a - b - c along the equator, d south of b (about 111 m apart).
    static let nodes = """
        n1 x0 y0
        n2 x0.001 y0
        n3 x0.002 y0
        n4 x0.001 y-0.001
        """

    static func build(_ opl: String) throws -> RoadNetworkModel {
        var builder = RoadNetworkBuilder()
        for (number, line) in opl.split(separator: "\n").enumerated() {
            builder.add(try OPLReader.parse(line.drop { $0 == " " }, line: number + 1))
        }
        return builder.build()
    }

    static func segment(_ model: RoadNetworkModel, _ nodes: [Int64]) throws -> RoadSegment {
        try #require(model.segments.first { $0.nodes == nodes || $0.nodes == nodes.reversed() }, "segment \(nodes)")
    }

    @Test func waysAreCutWhereTheyMeet() throws {
        let model = try Self.build(Self.nodes + """

            w10 Thighway=primary,name=Main%20%Street Nn1,n2,n3
            w11 Thighway=residential Nn2,n4
            w12 Thighway=footway Nn3,n4
            """)
        #expect(model.segments.count == 3, "the footway is not a car's")
        #expect(model.vertices.count == 4)
        let ab = try Self.segment(model, [1, 2])
        let bc = try Self.segment(model, [2, 3])
        let bd = try Self.segment(model, [2, 4])
        #expect(ab.target == bc.source && bc.source == bd.source, "they share b")
        #expect(ab.travel.name == "Main Street")
        // 111 m at OSRM's 65 km/h for primary and 25 km/h for residential.
        #expect(abs(ab.cost - ab.lengthMeters / (65 / 3.6)) < 1e-9 && ab.reverseCost == ab.cost)
        #expect(abs(bd.cost - bd.lengthMeters / (25 / 3.6)) < 1e-9)
        #expect(abs(ab.lengthMeters - 111.2) < 0.5)
    }

    @Test func aBollardSplitsTheRoadAndAGateDoesNot() throws {
        for (tag, connected) in [("barrier=bollard", false), ("barrier=gate", true), ("barrier=bollard,access=yes", true)] {
            let model = try Self.build("""
                n1 x0 y0
                n2 T\(tag) x0.001 y0
                n3 x0.002 y0
                w10 Thighway=primary Nn1,n2,n3
                """)
            // A node that blocks is one vertex per road reaching it; one that does not is at most one vertex.
            let copies = model.vertices.filter { $0.osmNode == 2 }.count
            #expect(copies == (connected ? (tag.contains("gate") ? 1 : 0) : 2), "\(tag)")
            #expect(model.vertices.first { $0.osmNode == 2 }?.passage.penaltySeconds == (tag.contains("gate") ? 60 : copies > 0 ? 0 : nil))
        }
    }

    @Test func limitsFerriesAndOneways() throws {
        let model = try Self.build(Self.nodes + """

            w10 Thighway=residential,maxspeed=50 Nn1,n2
            w11 Thighway=primary,oneway=-1,maxspeed=30%20%mph Nn2,n3
            w12 Troute=ferry,duration=00:30 Nn2,n4
            """)
        let ab = try Self.segment(model, [1, 2])
        #expect(abs(ab.cost - ab.lengthMeters / (50 * 0.8 / 3.6)) < 1e-9, "a stated limit, reduced as OSRM reduces it")
        let bc = try Self.segment(model, [2, 3])
        #expect(bc.cost == -1 && abs(bc.reverseCost - bc.lengthMeters / (30 * 1.609 * 0.8 / 3.6)) < 1e-9)
        let ferry = try Self.segment(model, [2, 4])
        #expect(ferry.cost == 1800 && ferry.reverseCost == 1800 && ferry.travel.isFerry)
    }

    @Test func restrictionsBecomeForbiddenSequences() throws {
        let model = try Self.build(Self.nodes + """

            w10 Thighway=primary Nn1,n2
            w11 Thighway=primary Nn2,n3
            w12 Thighway=primary Nn2,n4
            r20 Ttype=restriction,restriction=no_left_turn Mw10@from,n2@via,w12@to
            r21 Ttype=restriction,restriction=only_straight_on Mw12@from,n2@via,w11@to
            r22 Ttype=restriction,restriction=no_right_turn,except=motorcar Mw11@from,n2@via,w12@to
            r23 Ttype=restriction,restriction:hgv=no_right_turn Mw11@from,n2@via,w12@to
            r24 Ttype=restriction,restriction=no_u_turn Mw10@from,n99@via,w10@to
            """)
        let (ab, bd) = (try Self.segment(model, [1, 2]).id, try Self.segment(model, [2, 4]).id)
        let paths = Set(model.restrictions.map(\.path))
        #expect(paths == [[ab, bd], [bd, ab], [bd, bd]], "no_left_turn, then only_straight_on forbidding every other way out")
        #expect(model.unresolvedRestrictions == 1, "the u-turn ban names a node the extract lacks")
    }

    @Test func aRestrictionViaAWay() throws {
        // a - b - c - e, with d below b and f below c: no u-turn from d to f through b - c.
        let model = try Self.build(Self.nodes + """

            n5 x0.002 y-0.001
            w10 Thighway=primary Nn2,n4
            w11 Thighway=primary Nn2,n3
            w12 Thighway=primary Nn3,n5
            r20 Ttype=restriction,restriction=no_u_turn Mw10@from,w11@via,w12@to
            """)
        let (bd, bc, ce) = (try Self.segment(model, [2, 4]).id, try Self.segment(model, [2, 3]).id, try Self.segment(model, [3, 5]).id)
        #expect(model.restrictions.map(\.path) == [[bd, bc, ce]])
    }

    @Test func oplEscapesAndMembers() throws {
        let parsed = try OPLReader.parse("r7 Tname=A%2c%B%3d%C,type=restriction Mw1@from,n2@via,w3@to", line: 1)
        #expect(parsed == .relation(id: 7, tags: ["name": "A,B=C", "type": "restriction"], members: [
            OSMMember(kind: .way, id: 1, role: "from"), OSMMember(kind: .node, id: 2, role: "via"), OSMMember(kind: .way, id: 3, role: "to"),
        ]))
        #expect(throws: OPLError.self) { try OPLReader.parse("x1 T", line: 2) }
    }
}

/// Turn costs at a T junction, as OSRM's car profile prices them.
@Suite(.timeLimit(.minutes(5)))
struct TurnModelTests {
    @Test func aTJunctionPricesTurnsByAngleAndSide() throws {
        // a - b - c along the equator, d south of b; b has a traffic signal in the second case.
        for signal in [false, true] {
            let model = try RoadNetworkBuilderTests.build("""
                n1 x0 y0
                n2 \(signal ? "Thighway=traffic_signals " : "")x0.001 y0
                n3 x0.002 y0
                n4 x0.001 y-0.001
                w10 Thighway=primary Nn1,n2,n3
                w11 Thighway=primary Nn2,n4
                """)
            let ab = try RoadNetworkBuilderTests.segment(model, [1, 2]).id
            let bc = try RoadNetworkBuilderTests.segment(model, [2, 3]).id
            let bd = try RoadNetworkBuilderTests.segment(model, [2, 4]).id
            let b = try #require(model.vertices.first { $0.osmNode == 2 }).id
            let a = try #require(model.vertices.first { $0.osmNode == 1 }).id
            let costs = TurnModel().costs(of: model)
            func cost(_ from: Int64, _ via: Int64, _ to: Int64) -> Double { costs.first { $0.from == from && $0.via == via && $0.to == to }?.seconds ?? 0 }
            let wait = signal ? 2.0 : 0
            // East then south is a right turn, 90°: 7.5 / (1 + e^-(13/1.075 * 0.5 - 6.5 * 1.075)).
            #expect(abs(cost(ab, b, bd) - wait - 2.105) < 0.001)
            // West then south is a left turn, dearer: 7.5 / (1 + e^-(13 * 1.075 * 0.5 - 6.5 / 1.075)).
            #expect(abs(cost(bc, b, bd) - wait - 5.395) < 0.001)
            #expect(abs(cost(ab, b, bc) - wait - 0.0069) < 0.0001, "straight on costs next to nothing")
            #expect(cost(ab, b, ab) == TurnCost.forbidden, "no u-turn where other ways go on")
            #expect(abs(cost(ab, a, ab) - 27.455) < 0.01, "a u-turn at a dead end: the sigmoid at 180° and 20 s")
        }
    }
}
