import Foundation

/// One OSRM step: a stretch of one road, begun by a maneuver.
public struct RouteStep: Sendable, Equatable {
    /// OSRM's maneuver types this service produces.
    public enum Kind: String, Sendable {
        case depart, turn, arrive
        /// The road's name changes without a turn.
        case newName = "new name"
    }

    public let kind: Kind
    /// OSRM's direction of the maneuver (`left`, `slight right`, `uturn`, …); nil for depart and arrive.
    public let modifier: String?
    public let name: String
    /// Where the maneuver takes place.
    public let location: Coordinate
    /// Compass bearings in whole degrees of travel into and out of the maneuver (0 where there is none).
    public let bearingBefore: Int
    public let bearingAfter: Int
    public let durationSeconds: Double
    public let distanceMeters: Double
    /// Its shape, from the maneuver to the next one.
    public let coordinates: [Coordinate]
}

extension RouteStep {
    /// Depart along all of `line` and arrive at its end: the steps of a route
    /// whose edges are not known.
    public static func along(_ line: [Coordinate], durationSeconds: Double, distanceMeters: Double) -> [RouteStep] {
        let line = RoadRouter.withoutRepeats(line)
        let end = line[line.count - 1]
        return [
            RouteStep(kind: .depart, modifier: nil, name: "", location: line[0], bearingBefore: 0, bearingAfter: Route.bearing(line[0], line[1]),
                      durationSeconds: durationSeconds, distanceMeters: distanceMeters, coordinates: line),
            RouteStep(kind: .arrive, modifier: nil, name: "", location: end, bearingBefore: Route.bearing(line[line.count - 2], end), bearingAfter: 0,
                      durationSeconds: 0, distanceMeters: 0, coordinates: [end, end]),
        ]
    }
}

extension Route {
    /// Turn-by-turn steps as OSRM gives them: `depart`, then a step wherever
    /// the road's name changes (a `turn`, or `new name` when the way goes on
    /// nearly straight), then `arrive`, of no length, at the end. Durations
    /// are this route's, scaled to add up to `totalDuration` (a stored leg's,
    /// traffic multiplier included).
    public func steps(names: (Int32) -> String, totalDuration: Double) -> [RouteStep] {
        let scale = durationSeconds > 0 ? totalDuration / durationSeconds : 0
        var groups: [[RoutePiece]] = []
        for piece in Self.withoutEmptyPieces(pieces) {
            if let last = groups.last?.last, names(last.edge) == names(piece.edge) {
                groups[groups.count - 1].append(piece)
            } else {
                groups.append([piece])
            }
        }
        var steps: [RouteStep] = []
        var before = 0
        for (index, group) in groups.enumerated() {
            var line = group[0].coordinates
            for piece in group.dropFirst() { line += piece.coordinates.dropFirst() }
            line = RoadRouter.withoutRepeats(line)
            let after = Self.bearing(line[0], line[1])
            let turn = ((after - before) % 360 + 540) % 360 - 180
            let kind: RouteStep.Kind = index == 0 ? .depart : (abs(turn) < 20 ? .newName : .turn)
            steps.append(RouteStep(
                kind: kind, modifier: index == 0 ? nil : Self.modifier(turn), name: names(group[0].edge), location: line[0],
                bearingBefore: index == 0 ? 0 : before, bearingAfter: after,
                durationSeconds: group.reduce(0) { $0 + $1.durationSeconds } * scale,
                distanceMeters: group.reduce(0) { $0 + $1.distanceMeters }, coordinates: line
            ))
            before = Self.bearing(line[line.count - 2], line[line.count - 1])
        }
        let end = coordinates[coordinates.count - 1]
        steps.append(RouteStep(
            kind: .arrive, modifier: nil, name: steps.last?.name ?? "", location: end, bearingBefore: before, bearingAfter: 0,
            durationSeconds: 0, distanceMeters: 0, coordinates: [end, end]
        ))
        return steps
    }

    /// The pieces that cover ground. A piece under `emptyMeters` (an end
    /// on a junction, met on a neighbouring road, snapped a rounding error
    /// away from it) would be a step named after that road: its time (a
    /// turn) joins the piece before it, or the one after it at the start.
    /// A route with no such piece keeps its first.
    static func withoutEmptyPieces(_ pieces: [RoutePiece]) -> [RoutePiece] {
        var kept: [RoutePiece] = []
        var carried = 0.0
        for piece in pieces {
            if piece.distanceMeters >= emptyMeters {
                kept.append(piece.adding(seconds: carried))
                carried = 0
            } else if let last = kept.popLast() {
                kept.append(last.adding(seconds: piece.durationSeconds))
            } else {
                carried += piece.durationSeconds
            }
        }
        return kept.isEmpty ? pieces : kept
    }

    /// Shorter than this, a piece is no step (OSRM trims such end steps too).
    static let emptyMeters = 0.01

    /// OSRM's modifier for a turn of `degrees` (positive to the right).
    static func modifier(_ degrees: Int) -> String {
        let side = degrees > 0 ? "right" : "left"
        switch abs(degrees) {
        case ..<20: return "straight"
        case ..<60: return "slight \(side)"
        case ..<140: return side
        case ..<170: return "sharp \(side)"
        default: return "uturn"
        }
    }

    /// The initial great-circle bearing from `a` to `b`, whole degrees from north, 0 to 359.
    static func bearing(_ a: Coordinate, _ b: Coordinate) -> Int {
        (Int(a.initialBearing(to: b).rounded()) + 360) % 360
    }
}
