import Foundation
import GeoCore

/// A turn from one segment onto another at the vertex they share, with
/// its cost in seconds, or forbidden: what the router's turn-expanded graph
/// and pgRouting's `pgr_trsp` restrictions both read. A turn not listed is
/// free.
public struct TurnCost: Sendable, Equatable {
    public let from: Int64
    /// The vertex turned at: a u-turn on one edge may be made at either of its ends.
    public let via: Int64
    public let to: Int64
    /// Seconds; `TurnCost.forbidden` when no car may turn so.
    public let seconds: Double
    /// The restriction relation that forbids it, if one does.
    public let relationID: Int64?

    /// Above any route's cost: pgr_trsp pays it only where nothing else joins the ends.
    public static let forbidden = RoadTurn.forbidden
}

/// The costs of turns, as OSRM's car profile sets them (`process_turn`, and
/// where OSRM allows a u-turn at all):
///
/// - at a vertex where more than two roads meet, onto or off a ferry, and
///   for a u-turn, the sigmoid of the turn's angle up to `turnPenalty`
///   (right turns cheaper by `turnBias`, traffic driving on the right);
/// - a u-turn adds `uTurnPenalty`, and is allowed only at a dead end (a
///   barrier is one), where it is the only way on, or where at most one
///   road is two-way;
/// - a traffic signal adds its wait, a gate its penalty, whichever way it is passed;
/// - entering a destination-only road from an open one adds
///   `RoadTurn.restrictedEntry`, a weight that is no time (OSRM's
///   `restricted` turn weight);
/// - a via-node restriction forbids its turn.
public struct TurnModel {
    let profile: CarProfile

    public init(profile: CarProfile = .car) {
        self.profile = profile
    }

    /// Every turn that is forbidden or costs something, by vertex.
    public func costs(of model: RoadNetworkModel) -> [TurnCost] {
        var arriving: [Int64: [Arc]] = [:]
        var leaving: [Int64: [Arc]] = [:]
        var incident: [Int64: Set<Int64>] = [:]
        var twoWay: [Int64: Set<Int64>] = [:]
        for segment in model.segments {
            let points = segment.points
            let forward = Arc(segment: segment.id, forward: true, restricted: segment.travel.forwardRestricted, ferry: segment.travel.isFerry,
                              tail: segment.source, head: segment.target,
                              startBearing: points[0].initialBearing(to: points[1]),
                              endBearing: points[points.count - 2].initialBearing(to: points[points.count - 1]))
            let backward = Arc(segment: segment.id, forward: false, restricted: segment.travel.backwardRestricted, ferry: segment.travel.isFerry,
                               tail: segment.target, head: segment.source,
                               startBearing: points[points.count - 1].initialBearing(to: points[points.count - 2]),
                               endBearing: points[1].initialBearing(to: points[0]))
            for arc in [segment.cost >= 0 ? forward : nil, segment.reverseCost >= 0 ? backward : nil].compactMap({ $0 }) {
                leaving[arc.tail, default: []].append(arc)
                arriving[arc.head, default: []].append(arc)
            }
            incident[segment.source, default: []].insert(segment.id)
            incident[segment.target, default: []].insert(segment.id)
            if segment.cost >= 0, segment.reverseCost >= 0 {
                twoWay[segment.source, default: []].insert(segment.id)
                twoWay[segment.target, default: []].insert(segment.id)
            }
        }
        var restricted: [Turn: Int64] = [:]
        for restriction in model.restrictions where restriction.path.count == 2 {
            guard let via = restriction.via else { continue }
            restricted[Turn(from: restriction.path[0], via: via, to: restriction.path[1])] = restriction.relationID
        }
        var costs: [TurnCost] = []
        for vertex in model.vertices {
            let roads = incident[vertex.id]?.count ?? 0
            let outs = leaving[vertex.id] ?? []
            for a in arriving[vertex.id] ?? [] {
                let exits = outs.filter { restricted[Turn(from: a.segment, via: vertex.id, to: $0.segment)] == nil }.count
                for b in outs {
                    if let relation = restricted[Turn(from: a.segment, via: vertex.id, to: b.segment)] {
                        costs.append(TurnCost(from: a.segment, via: vertex.id, to: b.segment, seconds: TurnCost.forbidden, relationID: relation))
                        continue
                    }
                    let uTurn = a.segment == b.segment && a.forward != b.forward
                    if uTurn, roads > 1, exits > 1, (twoWay[vertex.id]?.count ?? 0) > 1 {
                        costs.append(TurnCost(from: a.segment, via: vertex.id, to: b.segment, seconds: TurnCost.forbidden, relationID: nil))
                        continue
                    }
                    var seconds = vertex.passage.penaltySeconds + (vertex.passage.trafficSignal ? profile.trafficSignalPenalty : 0)
                    // OSRM prices a change of mode (driving to ferry and back) as a turn wherever it happens.
                    if roads > 2 || uTurn || a.ferry != b.ferry {
                        seconds += sigmoid(uTurn ? 180 : Self.angle(from: a.endBearing, to: b.startBearing))
                        if uTurn { seconds += profile.uTurnPenalty }
                    }
                    if b.restricted, !a.restricted { seconds += RoadTurn.restrictedEntry }
                    if seconds > 0 { costs.append(TurnCost(from: a.segment, via: vertex.id, to: b.segment, seconds: seconds, relationID: nil)) }
                }
            }
        }
        return Self.once(costs)
    }

    /// One cost per (from, via, to): a segment that loops back to its own
    /// vertex meets itself there both ways, and the cheaper turn stands for both.
    static func once(_ costs: [TurnCost]) -> [TurnCost] {
        var seen: [Turn: Int] = [:]
        var kept: [TurnCost] = []
        for cost in costs {
            let key = Turn(from: cost.from, via: cost.via, to: cost.to)
            if let index = seen[key] {
                if cost.seconds < kept[index].seconds { kept[index] = cost }
            } else {
                seen[key] = kept.count
                kept.append(cost)
            }
        }
        return kept
    }

    /// OSRM car.lua's turn penalty: a sigmoid of the angle (degrees,
    /// positive to the right, ±180 a u-turn) that nears `turnPenalty`.
    func sigmoid(_ angle: Double) -> Double {
        let bias = profile.turnBias
        if angle >= 0 {
            return profile.turnPenalty / (1 + exp(-((13 / bias) * angle / 180 - 6.5 * bias)))
        }
        return profile.turnPenalty / (1 + exp(-((13 * bias) * -angle / 180 - 6.5 / bias)))
    }

    /// The turn from heading `incoming` to heading `outgoing`, in (-180, 180], positive to the right.
    static func angle(from incoming: Double, to outgoing: Double) -> Double {
        var turn = (outgoing - incoming).truncatingRemainder(dividingBy: 360)
        if turn > 180 { turn -= 360 } else if turn <= -180 { turn += 360 }
        return turn
    }


    /// A segment travelled one way, with its headings where it leaves its tail and reaches its head.
    private struct Arc {
        let segment: Int64
        let forward: Bool
        /// Open this way only to reach or leave a place on it.
        let restricted: Bool
        let ferry: Bool
        let tail: Int64
        let head: Int64
        let startBearing: Double
        let endBearing: Double
    }

    private struct Turn: Hashable {
        let from: Int64
        let via: Int64
        let to: Int64
    }
}
