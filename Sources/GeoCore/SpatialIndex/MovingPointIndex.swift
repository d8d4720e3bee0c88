import Foundation

/// An in-memory index of points that move often (drivers' positions), for
/// k-nearest searches within a radius.
///
/// Points are bucketed in a uniform 3-D grid over their unit-sphere vectors,
/// about 1 km a cell: a move is O(1) (at most one swap-remove and one append),
/// and cells are the same size everywhere, so the poles and the ±180° meridian
/// need no special cases.
///
/// Searches are exact on the WGS84 ellipsoid although the grid is spherical.
/// Along any path the ellipsoid's length element is between 0.9943 and 1.0046
/// times the unit sphere's scaled by the mean radius (meridional radius
/// 6 335 km at the equator, polar radius of curvature 6 400 km, mean radius
/// 6 371 km), so ellipsoidal distance d_e and spherical distance d_s satisfy
/// d_s ≤ d_e / 0.9943. The search takes the k spherically nearest, measures
/// them exactly (their largest exact distance D bounds the true k nearest),
/// then measures exactly every point with d_s ≤ D / 0.9943 and keeps the k
/// nearest. Only a handful of points beyond k are ever measured exactly, and
/// from the unit vectors the grid keeps anyway (see `WGS84.shortDistanceMeters`).
public struct MovingPointIndex: Sendable {
    /// Mean Earth radius (IUGG R1), the sphere the grid scales to.
    static var sphereRadiusMeters: Double { 6_371_008.8 }
    /// Lower bound of ellipsoidal over spherical length, with a little slack.
    static var ellipsoidToSphereLowerBound: Double { 0.9940 }
    /// Upper over lower bound of that ratio (1.0046 / 0.9943), with slack.
    static var sphereToEllipsoidSpread: Double { 1.0110 }

    private struct Point: Sendable {
        var id: PointID
        var coordinate: Coordinate
        var updatedAt: Double
        var cell: Int64
        var slotInCell: Int32
    }

    /// What a search scans, stored in the cell itself so that scanning a cell
    /// reads one contiguous array instead of jumping around `points`.
    private struct CellEntry: Sendable {
        var vector: UnitVector
        var updatedAt: Double
        var position: Int32
    }

    /// A point a search may answer with, and its squared chord from the query.
    private struct Candidate {
        var index: Int32
        var chordSquared: Double
        var vector: UnitVector
    }

    private var points: [Point] = []
    private var positions = SlotTable<PointID>()
    /// Where each occupied cell's entries are in `cellMembers` (and its key in
    /// `cellKeys`). Searches read the entries through that array's buffer
    /// rather than out of a dictionary: a dictionary hands out each cell's
    /// array retained, and with searches running side by side those reference
    /// counts were contended cache lines in a W1 profile.
    private var cellSlots = SlotTable<Int64>()
    private var cellMembers: [[CellEntry]] = []
    private var cellKeys: [Int64] = []
    /// Slots of cells that emptied, for reuse.
    private var vacantCellSlots: [Int32] = []
    /// Cell edge in unit-sphere units.
    private let cellSize: Double

    /// - Parameter cellSizeMeters: grid cell edge; about the typical search radius works best.
    public init(cellSizeMeters: Double = 1_000) {
        cellSize = cellSizeMeters / Self.sphereRadiusMeters
    }

    /// How many points the index holds.
    public var count: Int { points.count }

    /// The stored point for `id`.
    public func point(for id: PointID) -> (coordinate: Coordinate, updatedAt: Double)? {
        guard let position = position(of: id) else { return nil }
        let point = points[Int(position)]
        return (point.coordinate, point.updatedAt)
    }

    /// Inserts or moves a point. An update older than the stored one is
    /// ignored: late packets never move a point back.
    /// - Returns: whether the index changed.
    @discardableResult
    public mutating func upsert(_ id: PointID, at coordinate: Coordinate, updatedAt: Double) -> Bool {
        let vector = UnitVector(coordinate)
        let cell = cellKey(vector)
        let entry = { (position: Int32) in CellEntry(vector: vector, updatedAt: updatedAt, position: position) }
        if let position = position(of: id) {
            let index = Int(position)
            guard points[index].updatedAt <= updatedAt else { return false }
            if points[index].cell != cell {
                removeFromCell(index)
                points[index].cell = cell
                points[index].slotInCell = appendToCell(cell, entry(position))
            } else {
                cellMembers[Int(slot(of: cell)!)][Int(points[index].slotInCell)] = entry(position)
            }
            points[index].coordinate = coordinate
            points[index].updatedAt = updatedAt
            return true
        }
        let position = Int32(points.count)
        let slot = appendToCell(cell, entry(position))
        points.append(Point(id: id, coordinate: coordinate, updatedAt: updatedAt, cell: cell, slotInCell: slot))
        withPositions { $0.insert(id, at: position, keyAt: $1) }
        return true
    }

    /// Removes a point; returns whether it was there.
    @discardableResult
    public mutating func remove(_ id: PointID) -> Bool {
        guard let position = withPositions({ $0.remove(id, keyAt: $1) }) else { return false }
        let index = Int(position)
        removeFromCell(index)
        let last = points.count - 1
        if index != last {
            // Move the last point into the hole and repoint its references.
            points[index] = points[last]
            let moved = points[index].id
            withPositions { $0.move(moved, to: position, keyAt: $1) }
            cellMembers[Int(slot(of: points[index].cell)!)][Int(points[index].slotInCell)].position = position
        }
        points.removeLast()
        return true
    }

    /// Up to `limit` points within `radiusMeters` of `center`, nearest first by
    /// `distance` (ties by id), skipping points updated before `updatedSince`.
    /// Points up to 100 km away are measured with `WGS84.shortDistanceMeters`.
    /// - Parameter distance: the exact ellipsoidal distance in metres, for points
    ///   farther away (Karney's, say); it must lie within [0.9943, 1.0046] × the
    ///   great-circle distance on the mean sphere, as every WGS84 geodesic does.
    public func nearest(
        to center: Coordinate,
        radiusMeters: Double,
        limit: Int,
        updatedSince: Double = -.infinity,
        distance: (Coordinate, Coordinate) -> Double
    ) -> [NearbyPoint] {
        guard limit > 0, radiusMeters > 0, !points.isEmpty else { return [] }
        let query = UnitVector(center)
        let reach = radiusMeters / Self.ellipsoidToSphereLowerBound / Self.sphereRadiusMeters
        let scan = scan(around: query, reachChordSquared: UnitVector.chordSquared(forAngle: reach), limit: limit, updatedSince: updatedSince)
        guard !scan.nearest.isEmpty else { return [] }
        return measured(scan, query: query, center: center, radiusMeters: radiusMeters, limit: limit, distance: distance)
    }

    /// What a search's scan of the grid found: every point that can still
    /// matter, and among them the `limit` spherically nearest, sorted.
    private struct Scan {
        var candidates: [Candidate] = []
        var nearest: [Candidate] = []
    }

    private func scan(around query: UnitVector, reachChordSquared: Double, limit: Int, updatedSince: Double) -> Scan {
        // Once `limit` points are known, a point farther than the k-th by more
        // than the worst ellipsoid/sphere ratio can never be among the answers
        // (a chord grows at most linearly with its angle), so it is not even kept.
        let slackSquared = Self.sphereToEllipsoidSpread * Self.sphereToEllipsoidSpread
        var scan = Scan()
        // Room for what a search in a dense city keeps (a few dozen), so that
        // the array is not regrown and copied while the cells are scanned.
        scan.candidates.reserveCapacity(256)
        scan.nearest.reserveCapacity(limit + 1)
        // How far (squared chord) a point may be and still matter.
        var threshold = reachChordSquared
        // The grid is searched in growing cubes, starting with one cell around
        // the query: in dense places the k nearest lie in the first cube, and
        // the cells out to the full radius (a hundred or more at 2 km) are never
        // looked up. Each cube scans only the cells the previous one did not.
        let reachChord = reachChordSquared.squareRoot()
        var halfEdge = min(cellSize, reachChord)
        var scanned: CellRange?
        // One list of cells for every cube: grown append by append in each, it
        // was most of a search's twenty-five allocations.
        var cells: [(slot: Int32, boxChordSquared: Double)] = []
        cellMembers.withUnsafeBufferPointer { allMembers in
            while true {
                let range = cellRange(around: query, halfEdge: halfEdge)
                self.cells(in: range, outside: scanned, from: query, into: &cells)
                // Cells nearest first: once a whole cell lies beyond what could
                // still matter, so do all the cells after it.
                for cell in cells {
                    guard cell.boxChordSquared <= threshold else { break }
                    allMembers[Int(cell.slot)].withUnsafeBufferPointer { members in
                        for member in members where member.updatedAt >= updatedSince {
                            let chordSquared = member.vector.chordSquared(to: query)
                            guard chordSquared <= threshold else { continue }
                            let candidate = Candidate(index: member.position, chordSquared: chordSquared, vector: member.vector)
                            scan.candidates.append(candidate)
                            if scan.nearest.count < limit || chordSquared < scan.nearest[scan.nearest.count - 1].chordSquared {
                                let at = scan.nearest.firstIndex { $0.chordSquared > chordSquared } ?? scan.nearest.count
                                scan.nearest.insert(candidate, at: at)
                                if scan.nearest.count > limit { scan.nearest.removeLast() }
                                if scan.nearest.count == limit {
                                    threshold = min(scan.nearest[limit - 1].chordSquared * slackSquared, reachChordSquared)
                                }
                            }
                        }
                    }
                }
                // Every point within `halfEdge` of the query has been seen.
                guard halfEdge < reachChord, halfEdge * halfEdge < threshold else { break }
                scanned = range
                halfEdge = min(halfEdge * 2, reachChord)
            }
        }
        return scan
    }

    /// The k spherically nearest bound the answer; then what could beat them
    /// is measured too. Each step fetches its points before measuring any:
    /// they lie scattered in memory, and fetched together the CPU overlaps the
    /// cache misses instead of waiting for each behind a distance computation.
    private func measured(
        _ scan: Scan, query: UnitVector, center: Coordinate, radiusMeters: Double, limit: Int,
        distance: (Coordinate, Coordinate) -> Double
    ) -> [NearbyPoint] {
        let fetched = scan.nearest.map { points[Int($0.index)] }
        var measured = zip(fetched, scan.nearest).map { measure($0, $1.vector, from: query, center, distance) }
        let bound = min(measured.reduce(0) { max($0, $1.distanceMeters) }, radiusMeters)
        let boundChordSquared = UnitVector.chordSquared(
            forAngle: bound / Self.ellipsoidToSphereLowerBound / Self.sphereRadiusMeters
        )
        let challengers = scan.candidates.filter { candidate in
            candidate.chordSquared <= boundChordSquared && !scan.nearest.contains { $0.index == candidate.index }
        }
        let fetchedChallengers = challengers.map { points[Int($0.index)] }
        measured.reserveCapacity(measured.count + challengers.count)
        for (point, challenger) in zip(fetchedChallengers, challengers) {
            measured.append(measure(point, challenger.vector, from: query, center, distance))
        }
        measured.removeAll { $0.distanceMeters > radiusMeters }
        measured.sort { ($0.distanceMeters, $0.id) < ($1.distanceMeters, $1.id) }
        if measured.count > limit { measured.removeLast(measured.count - limit) }
        return measured
    }

    private func measure(
        _ point: Point, _ vector: UnitVector, from query: UnitVector, _ center: Coordinate,
        _ distance: (Coordinate, Coordinate) -> Double
    ) -> NearbyPoint {
        NearbyPoint(
            id: point.id, coordinate: point.coordinate,
            distanceMeters: WGS84.shortDistanceMeters(query, vector) ?? distance(center, point.coordinate),
            updatedAt: point.updatedAt
        )
    }

    private func position(of id: PointID) -> Int32? {
        positions.position(of: id) { points[Int($0)].id }
    }

    /// Lends `body` the position table and a reader of ids. The table is
    /// moved out meanwhile, so that neither it nor `points` is copied on write.
    private mutating func withPositions<Result>(_ body: (inout SlotTable<PointID>, (Int32) -> PointID) -> Result) -> Result {
        var table = SlotTable<PointID>.vacant
        swap(&table, &positions)
        defer { swap(&table, &positions) }
        let points = self.points
        return body(&table) { points[Int($0)].id }
    }

    // MARK: Grid

    /// Where the cell's entries are in `cellMembers`, if it has any.
    private func slot(of cell: Int64) -> Int32? {
        cellSlots.position(of: cell) { cellKeys[Int($0)] }
    }

    /// Packs the three cell coordinates (each within ±2^20) into one key.
    private func cellKey(_ vector: UnitVector) -> Int64 {
        key(cellCoordinate(vector.x), cellCoordinate(vector.y), cellCoordinate(vector.z))
    }

    private func cellCoordinate(_ value: Double) -> Int64 {
        Int64((value / cellSize).rounded(.down))
    }

    private func key(_ x: Int64, _ y: Int64, _ z: Int64) -> Int64 {
        let offset: Int64 = 1 << 20
        return ((x + offset) << 42) | ((y + offset) << 21) | (z + offset)
    }

    /// The cells, per axis, that a cube around a point touches.
    private struct CellRange {
        var low: (x: Int64, y: Int64, z: Int64)
        var high: (x: Int64, y: Int64, z: Int64)

        var count: Int64 { (high.x - low.x + 1) * (high.y - low.y + 1) * (high.z - low.z + 1) }

        func contains(_ x: Int64, _ y: Int64, _ z: Int64) -> Bool {
            (low.x...high.x).contains(x) && (low.y...high.y).contains(y) && (low.z...high.z).contains(z)
        }
    }

    private func cellRange(around query: UnitVector, halfEdge: Double) -> CellRange {
        CellRange(
            low: (cellCoordinate(query.x - halfEdge), cellCoordinate(query.y - halfEdge), cellCoordinate(query.z - halfEdge)),
            high: (cellCoordinate(query.x + halfEdge), cellCoordinate(query.y + halfEdge), cellCoordinate(query.z + halfEdge))
        )
    }

    /// Replaces `found` with the non-empty cells of `range` that are not in
    /// `scanned`, each with the squared distance from `query` to its box (no
    /// member is closer), nearest first. When the range spans more cells than
    /// are occupied, walking the occupied cells is cheaper.
    private func cells(
        in range: CellRange, outside scanned: CellRange?, from query: UnitVector, into found: inout [(slot: Int32, boxChordSquared: Double)]
    ) {
        found.removeAll(keepingCapacity: true)
        found.reserveCapacity(Int(min(range.count, Int64(cellSlots.count))))
        func gap(_ value: Double, _ cell: Int64) -> Double {
            let lower = Double(cell) * cellSize
            let gap = max(lower - value, value - (lower + cellSize), 0)
            return gap * gap
        }
        func add(_ slot: Int32, _ x: Int64, _ y: Int64, _ z: Int64) {
            found.append((slot, gap(query.x, x) + gap(query.y, y) + gap(query.z, z)))
        }
        if range.count > Int64(cellSlots.count) {
            let offset: Int64 = 1 << 20
            let mask: Int64 = (1 << 21) - 1
            for (slot, cell) in cellKeys.enumerated() where !cellMembers[slot].isEmpty {
                let x = (cell >> 42) - offset
                let y = ((cell >> 21) & mask) - offset
                let z = (cell & mask) - offset
                if range.contains(x, y, z), scanned?.contains(x, y, z) != true { add(Int32(slot), x, y, z) }
            }
        } else {
            // Points lie on the unit sphere: a cell whose centre is farther from
            // the surface than half its diagonal holds none, so skip the lookup.
            let halfDiagonal = cellSize * 0.8661
            for x in range.low.x...range.high.x {
                let cx = (Double(x) + 0.5) * cellSize
                for y in range.low.y...range.high.y {
                    let cy = (Double(y) + 0.5) * cellSize
                    for z in range.low.z...range.high.z where scanned?.contains(x, y, z) != true {
                        let cz = (Double(z) + 0.5) * cellSize
                        let radius = (cx * cx + cy * cy + cz * cz).squareRoot()
                        guard abs(radius - 1) <= halfDiagonal else { continue }
                        if let slot = slot(of: key(x, y, z)) { add(slot, x, y, z) }
                    }
                }
            }
        }
        found.sort { $0.boxChordSquared < $1.boxChordSquared }
    }

    private mutating func appendToCell(_ cell: Int64, _ entry: CellEntry) -> Int32 {
        let slot: Int32
        if let occupied = self.slot(of: cell) {
            slot = occupied
        } else {
            if let vacant = vacantCellSlots.popLast() {
                slot = vacant
                cellKeys[Int(slot)] = cell
            } else {
                slot = Int32(cellMembers.count)
                cellMembers.append([])
                cellKeys.append(cell)
            }
            let keys = cellKeys
            cellSlots.insert(cell, at: slot) { keys[Int($0)] }
        }
        cellMembers[Int(slot)].append(entry)
        return Int32(cellMembers[Int(slot)].count - 1)
    }

    private mutating func removeFromCell(_ index: Int) {
        let cell = points[index].cell
        let member = Int(points[index].slotInCell)
        guard let cellSlot = slot(of: cell).map({ Int($0) }) else { return }
        let lastSlot = cellMembers[cellSlot].count - 1
        if member != lastSlot {
            let moved = cellMembers[cellSlot][lastSlot]
            cellMembers[cellSlot][member] = moved
            points[Int(moved.position)].slotInCell = Int32(member)
        }
        cellMembers[cellSlot].removeLast()
        if cellMembers[cellSlot].isEmpty {
            let keys = cellKeys
            _ = cellSlots.remove(cell) { keys[Int($0)] }
            vacantCellSlots.append(Int32(cellSlot))
        }
    }
}
