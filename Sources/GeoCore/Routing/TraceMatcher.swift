import Foundation

/// Matches a GPS trace to the road network: the hidden Markov model of
/// Newson and Krumm (2009), as OSRM's match service and Valhalla's
/// `trace_route` use it.
///
/// - The states of each trace point are its candidates: the nearest point
///   of each road within three times the point's accuracy, once per way it
///   may be driven, so that a match cannot reverse in the middle of a road.
///   Where the trace turns back sharply, the car may also turn round there
///   (OSRM's rule), at a cost (`turnRoundAccuracies`).
/// - Emission: Gaussian in the distance from the point to the candidate,
///   with the point's accuracy as standard deviation.
/// - Transition: exponential (`beta` metres) in the difference between the
///   road distance from one candidate to the next and the great-circle
///   distance between the two trace points. Road distances come a layer at
///   a time from the router's table (one search per candidate), never a
///   route per pair. A transition whose difference reaches the bound (what
///   the fastest car could cover in the time between the points, or
///   `maximumDistanceDelta` without timestamps) is impossible.
/// - A candidate a little behind the previous one, driven the same way (the
///   road from it leads to the previous one within the point's search
///   radius), is the car standing still or crawling under GPS noise, not a
///   lap round the block: it costs a road distance of 0 and the car stays
///   where it was, as Valhalla allows.
/// - With timestamps, a transition the road model cannot drive in twice
///   the time between the points is penalised as a longer one (`lateSlack`).
/// - Points within two accuracies of the last point modelled are left out
///   (unmatched), as Newson and Krumm thin their traces.
/// - Viterbi keeps the most likely path. A point no candidate of the
///   previous matched point leads to is left out; after `maximumBrokenPoints`
///   such points in a row, or a gap in the timestamps longer than
///   `maximumBrokenPoints` median sampling intervals, the trace splits and a
///   new matching starts at the first point left out.
public struct TraceMatcher: Sendable {
    /// One trace point.
    public struct Observation: Sendable {
        public let coordinate: Coordinate
        /// Seconds (any epoch), non-decreasing along the trace; nil when the trace has none.
        public let timestamp: Double?
        /// The GPS accuracy (standard deviation, metres); nil for the default.
        public let accuracyMeters: Double?
        /// Narrows the candidates by heading (OSRM's `bearings`).
        public let bearing: Bearing?

        public init(coordinate: Coordinate, timestamp: Double? = nil, accuracyMeters: Double? = nil, bearing: Bearing? = nil) {
            self.coordinate = coordinate
            self.timestamp = timestamp
            self.accuracyMeters = accuracyMeters
            self.bearing = bearing
        }
    }

    /// OSRM's values where it has them (`map_matching.cpp`).
    public struct Parameters: Sendable {
        /// OSRM's `DEFAULT_GPS_PRECISION`.
        public var defaultAccuracyMeters = 5.0
        /// Candidates are searched within this many accuracies (OSRM's `RADIUS_MULTIPLIER`).
        public var searchRadiusMultiplier = 3.0
        /// OSRM's `MATCHING_BETA`.
        public var betaMeters = 10.0
        /// Roads considered per point, nearest first.
        public var maximumRoadsPerPoint = 8
        /// The bound on a transition's distance difference without timestamps (OSRM's `MAX_DISTANCE_DELTA`).
        public var maximumDistanceDelta = 2_000.0
        /// With timestamps, the bound is this speed times the time between the points (OSRM's 180 km/h).
        public var maximumSpeedMetersPerSecond = 50.0
        /// A turn round in the middle of a road costs as much as a detour of
        /// this many accuracies: where the trace turns back, its noise alone
        /// would otherwise make a spur into every side road free (OSRM lets
        /// the car turn there at no cost).
        public var turnRoundAccuracies = 6.0
        /// With timestamps, how many times faster than the road model a car
        /// may go between two points before the transition counts as late
        /// (drivers beat the model's speeds, seldom by half again).
        public var lateSlack = 2.0
        /// OSRM's `MAX_BROKEN_STATES`.
        public var maximumBrokenPoints = 10
        /// Whether a long gap in the timestamps splits the trace (OSRM's `gaps=split`, its default).
        public var splitsAtGaps = true

        public init() {}
    }

    /// A stretch of the trace matched as one: its points in order, each with where it met the road.
    public struct Matching: Sendable {
        /// Indices into the trace, increasing.
        public let points: [Int]
        /// Per matched point, where the car drove in and where it drove out:
        /// one snap each, whose `travel` is the way driven; they differ only
        /// in that way, where the car turned round there.
        public let arrivals: [RoadEnd]
        public let departures: [RoadEnd]
        /// Per matched point, how many other candidates the trace could have reached there (OSRM's `alternatives_count`).
        public let alternatives: [Int]
        /// How far the match can be trusted, 0 to 1: the geometric mean, over
        /// its transitions, of exp(−difference / beta), so 1 when every road
        /// distance equals the straight line between the points.
        public let confidence: Double
    }

    private let router: RoadRouter
    private let parameters: Parameters

    public init(router: RoadRouter, parameters: Parameters = Parameters()) {
        self.router = router
        self.parameters = parameters
    }

    /// One state of the model: a candidate of a trace point.
    private struct Candidate {
        /// The place driven into, and the same place driven out of: the same
        /// way, or back the other way where the car turns round there.
        let arrival: RoadSnap
        let departure: RoadSnap
        /// The emission's log-probability, less the penalty of a turn round.
        let emission: Double
        /// How far behind on its road the car may seem to go while standing still.
        let standingMeters: Double
    }

    /// The best way into a candidate from the previous matched point's.
    private struct Step {
        let parent: Int
        /// |road distance − straight distance|.
        let difference: Double
        /// The car stood still: it is where the parent was.
        let stands: Bool
    }

    private struct Pair: Hashable {
        let here: Int
        let before: Int
    }

    /// Viterbi's state at a matched point: its candidates' scores and best steps in.
    private struct Layer {
        let point: Int
        let scores: [Double]
        let steps: [Step?]
    }

    /// The matchings of `trace`, in trace order; points in none are unmatched. Empty when nothing matches.
    public func match(_ trace: [Observation]) -> [Matching] {
        let modelled = thinned(trace)
        let observations = modelled.map { trace[$0] }
        let candidates = observations.indices.map { self.candidates(at: $0, of: observations) }
        let brokenSeconds = brokenGapSeconds(observations)
        var matchings: [Matching] = []
        var start = 0
        while let first = (start..<observations.count).first(where: { !candidates[$0].isEmpty }) {
            let (matching, next) = matchFrom(first, observations, candidates, brokenSeconds: brokenSeconds)
            if let matching { matchings.append(matching.renumbered(modelled)) }
            start = next
        }
        return matchings
    }

    /// The points the model sees: the first, then each at least two
    /// accuracies from the last one seen (Newson and Krumm's thinning).
    /// Closer points say more about the noise than about the road: each
    /// jitter backwards would be a lap round the block, each sideways one a
    /// spur into a side road.
    private func thinned(_ trace: [Observation]) -> [Int] {
        var kept: [Int] = []
        for (index, observation) in trace.enumerated() {
            let accuracy = max(1, observation.accuracyMeters ?? parameters.defaultAccuracyMeters)
            if let last = kept.last, trace[last].coordinate.sphericalDistance(to: observation.coordinate) < 2 * accuracy { continue }
            kept.append(index)
        }
        return kept
    }

    /// Runs Viterbi from point `first` until the trace ends or splits;
    /// returns the matching (nil with fewer than two points) and where the
    /// next one may start.
    private func matchFrom(_ first: Int, _ trace: [Observation], _ candidates: [[Candidate]], brokenSeconds: Double?) -> (Matching?, Int) {
        var layers = [Layer(point: first, scores: candidates[first].map(\.emission), steps: Array(repeating: nil, count: candidates[first].count))]
        var brokenSince: Int?
        var point = first + 1
        while point < trace.count {
            let previous = layers[layers.count - 1]
            let elapsed = trace[point].timestamp.flatMap { now in trace[previous.point].timestamp.map { now - $0 } }
            if let brokenSeconds, let elapsed, elapsed > brokenSeconds { break }
            if point - previous.point > parameters.maximumBrokenPoints { break }
            if let layer = transition(from: previous, to: point, trace, candidates, elapsed: elapsed) {
                layers.append(layer)
                brokenSince = nil
            } else if brokenSince == nil {
                brokenSince = point
            }
            point += 1
        }
        // A split restarts at the first point left out since the last matched one.
        let next = point < trace.count ? (brokenSince ?? point) : trace.count
        guard layers.count >= 2 else { return (nil, max(next, first + 1)) }
        let last = layers[layers.count - 1].scores
        var state = last.indices.max { last[$0] < last[$1] }!
        var chosen: [(state: Int, stands: Bool)] = []
        var differences = 0.0
        for layer in layers.reversed() {
            let step = layer.steps[state]
            chosen.append((state, step?.stands ?? false))
            differences += step?.difference ?? 0
            state = step?.parent ?? state
        }
        chosen.reverse()
        var states: [(arrival: RoadSnap, departure: RoadSnap)] = []
        for (layer, choice) in zip(layers, chosen) {
            let candidate = candidates[layer.point][choice.state]
            // Standing still, the car is where it was, and leaves as it would have.
            states.append(choice.stands ? (states[states.count - 1].departure, states[states.count - 1].departure) : (candidate.arrival, candidate.departure))
        }
        func end(_ snap: RoadSnap) -> RoadEnd { RoadEnd(snaps: [snap], name: router.graph.edges[Int(snap.edge)].name) }
        return (Matching(
            points: layers.map(\.point), arrivals: states.map { end($0.arrival) }, departures: states.map { end($0.departure) },
            alternatives: layers.map { layer in max(0, layer.scores.filter { $0 > -.infinity }.count - 1) },
            confidence: exp(-differences / Double(layers.count - 1) / parameters.betaMeters)
        ), next)
    }

    /// The next layer of Viterbi: point `point`'s candidates scored from the
    /// previous matched point's; nil when none can be reached from any.
    private func transition(
        from previous: Layer, to point: Int, _ trace: [Observation], _ candidates: [[Candidate]], elapsed: Double?
    ) -> Layer? {
        let here = candidates[point]
        guard !here.isEmpty else { return nil }
        let before = candidates[previous.point]
        let straight = trace[previous.point].coordinate.sphericalDistance(to: trace[point].coordinate)
        let bound = elapsed.map { max($0, 1) * parameters.maximumSpeedMetersPerSecond } ?? parameters.maximumDistanceDelta
        let table = router.table(from: before.map(\.departure.end), to: here.map(\.arrival.end))
        var scores = [Double](repeating: -.infinity, count: here.count)
        let standing = behind(here, before)
        var steps = [Step?](repeating: nil, count: here.count)
        for (s, score) in previous.scores.enumerated() where score > -.infinity {
            for (t, candidate) in here.enumerated() {
                let stands = standing[Pair(here: t, before: s)] != nil
                guard let seconds = stands ? 0 : table.duration(s, t), let road = stands ? 0 : table.distance(s, t) else { continue }
                let difference = abs(road - straight) + lateMeters(seconds, elapsed: elapsed)
                guard difference < bound else { continue }
                let value = score + candidate.emission - difference / parameters.betaMeters
                if value > scores[t] {
                    scores[t] = value
                    steps[t] = Step(parent: s, difference: difference, stands: stands)
                }
            }
        }
        return steps.contains { $0 != nil } ? Layer(point: point, scores: scores, steps: steps) : nil
    }

    /// Point `index`'s candidates: each road within the search radius, once per way it may be driven there.
    private func candidates(at index: Int, of trace: [Observation]) -> [Candidate] {
        let observation = trace[index]
        let accuracy = max(1, observation.accuracyMeters ?? parameters.defaultAccuracyMeters)
        let snaps = router.nearest(
            observation.coordinate, count: parameters.maximumRoadsPerPoint, rule: EndRule(bearing: observation.bearing),
            maximumSnapMeters: accuracy * parameters.searchRadiusMultiplier
        )
        let turnsBack = index > 0 && index < trace.count - 1
            && Self.turnsBack(trace[index - 1].coordinate, trace[index].coordinate, trace[index + 1].coordinate)
        let radius = accuracy * parameters.searchRadiusMultiplier
        let reversal = parameters.turnRoundAccuracies * accuracy / parameters.betaMeters
        return snaps.flatMap { snap -> [Candidate] in
            let emission = -0.5 * (snap.distanceMeters / accuracy) * (snap.distanceMeters / accuracy)
            guard snap.travel == .both else { return [Candidate(arrival: snap, departure: snap, emission: emission, standingMeters: radius)] }
            let (forward, backward) = (snap.travelling(.forward), snap.travelling(.backward))
            var ways = [
                Candidate(arrival: forward, departure: forward, emission: emission, standingMeters: radius),
                Candidate(arrival: backward, departure: backward, emission: emission, standingMeters: radius),
            ]
            if turnsBack {
                ways.append(Candidate(arrival: forward, departure: backward, emission: emission - reversal, standingMeters: radius))
                ways.append(Candidate(arrival: backward, departure: forward, emission: emission - reversal, standingMeters: radius))
            }
            return ways
        }
    }

    /// The points OSRM's `tidy` keeps: the first and the last, and each
    /// point from which the trace has gone 15 m (and, with timestamps, 5 s)
    /// since the last kept one; the rest are noise around a car that hardly moved.
    public static func tidied(_ trace: [Observation]) -> [Int] {
        guard trace.count > 2 else { return Array(trace.indices) }
        var kept = [0]
        var meters = 0.0
        var seconds = 0.0
        for index in 1..<(trace.count - 1) {
            meters += trace[index - 1].coordinate.sphericalDistance(to: trace[index].coordinate)
            if let now = trace[index].timestamp, let before = trace[index - 1].timestamp { seconds += now - before }
            let timed = trace[index].timestamp != nil
            guard meters >= 15, !timed || seconds >= 5 else { continue }
            kept.append(index)
            (meters, seconds) = (0, 0)
        }
        return kept + [trace.count - 1]
    }

    /// A transition's lateness as a distance: the seconds by which the road
    /// takes longer than `lateSlack` times the time between the points plus
    /// 5 s (timestamps are whole seconds), at 10 m/s. Without it a point
    /// pushed off its road by noise makes a detour through a dead end (a
    /// turn round there costs 20 s) or round a block nearly free: the
    /// distances barely differ, the time does.
    private func lateMeters(_ seconds: Double, elapsed: Double?) -> Double {
        guard let elapsed else { return 0 }
        return max(0, seconds - parameters.lateSlack * elapsed - 5) * 10
    }

    /// For candidates of this point a little behind one of the previous
    /// point's (the road from the one here leads to the one before within
    /// the standing distance), that road distance, keyed by (here, before):
    /// such a pair is a car standing still. Only pairs that close in a
    /// straight line are timed, so most layers need no table at all.
    private func behind(_ here: [Candidate], _ before: [Candidate]) -> [Pair: Double] {
        let close = here.indices.flatMap { t in
            before.indices.filter { before[$0].departure.point.sphericalDistance(to: here[t].arrival.point) <= here[t].standingMeters }
                .map { Pair(here: t, before: $0) }
        }
        guard !close.isEmpty else { return [:] }
        let from = Array(Set(close.map(\.here))).sorted()
        let to = Array(Set(close.map(\.before))).sorted()
        let row = Dictionary(uniqueKeysWithValues: from.enumerated().map { ($1, $0) })
        let column = Dictionary(uniqueKeysWithValues: to.enumerated().map { ($1, $0) })
        let table = router.table(from: from.map { here[$0].arrival.end }, to: to.map { before[$0].departure.end })
        var distances: [Pair: Double] = [:]
        for pair in close {
            let (i, j) = (row[pair.here]!, column[pair.before]!)
            if table.duration(i, j) != nil, let meters = table.distance(i, j), meters <= here[pair.here].standingMeters { distances[pair] = meters }
        }
        return distances
    }

    /// Whether the trace reverses at `here`: the angle between the way in and
    /// the way out is within 45° of a U-turn (OSRM's rule for keeping both ways of a road).
    static func turnsBack(_ before: Coordinate, _ here: Coordinate, _ after: Coordinate) -> Bool {
        let inward = before.initialBearing(to: here)
        let outward = here.initialBearing(to: after)
        var change = abs(outward - inward).truncatingRemainder(dividingBy: 360)
        if change > 180 { change = 360 - change }
        return change >= 135
    }

    /// The longest gap in the timestamps that does not split the trace:
    /// `maximumBrokenPoints` median sampling intervals (at least a second
    /// each); nil without timestamps or when gaps do not split.
    private func brokenGapSeconds(_ trace: [Observation]) -> Double? {
        guard parameters.splitsAtGaps, trace.count > 1, trace.allSatisfy({ $0.timestamp != nil }) else { return nil }
        let intervals = zip(trace, trace.dropFirst()).map { $1.timestamp! - $0.timestamp! }.sorted()
        return max(1, intervals[intervals.count / 2]) * Double(parameters.maximumBrokenPoints)
    }
}

extension TraceMatcher.Matching {
    /// The same matching, its points numbered by `indices` (what the model saw → the trace).
    func renumbered(_ indices: [Int]) -> Self {
        Self(points: points.map { indices[$0] }, arrivals: arrivals, departures: departures, alternatives: alternatives, confidence: confidence)
    }
}

extension RoadSnap {
    /// The same place, driven one way only.
    func travelling(_ travel: Travel) -> RoadSnap {
        RoadSnap(edge: edge, fraction: fraction, point: point, distanceMeters: distanceMeters, segment: segment, travel: travel)
    }

    /// As an end of its own, for the table.
    var end: RoadEnd { RoadEnd(snaps: [self], name: "") }
}
