import Foundation

/// An in-memory index of points that move often (drivers' positions), for
/// k-nearest searches within a radius.
///
/// Points are bucketed in a uniform 3-D grid over their unit-sphere vectors,
/// about 1 km a cell: a move is O(1) (at most one swap-remove and one append),
/// and cells are the same size everywhere, so the poles and the ±180° meridian
/// need no special cases. A second grid, `coarseFactor` times coarser, lists
/// the occupied cells under each of its cells, so that a search whose radius
/// spans thousands of cells where few are occupied (drivers spread thin, a
/// 50 km radius) looks at occupied cells only.
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

    /// A fine cell's edge is this many times smaller than a coarse cell's (a power of two).
    static var coarseShift: Int64 { 4 }
    static var coarseFactor: Int64 { 1 << coarseShift }

    private struct Point: Sendable {
        var id: PointID
        var coordinate: Coordinate
        var updatedAt: Double
        /// Degrees clockwise from north; NaN when the point has none.
        var heading: Float
        /// Where its entry is: the cell's slot in `grid`, and its index there.
        var cellSlot: Int32
        var slotInCell: Int32
    }

    /// What a search scans, stored in the cell itself so that scanning a cell
    /// reads one contiguous array instead of jumping around `points`.
    private struct CellEntry: Sendable {
        var vector: UnitVector
        var updatedAt: Double
        var position: Int32
        /// The point's attribute set in `attributeSets` (in the entry's padding: no bigger).
        var attributes: Int32
    }

    /// A point a search may answer with, and its squared chord from the query.
    private struct Candidate {
        var index: Int32
        var chordSquared: Double
        var vector: UnitVector
        var attributes: Int32
    }

    private var points: [Point] = []
    private var positions = SlotTable<PointID>()
    /// The cells searches scan.
    private var grid = CellTable<CellEntry>()
    /// The coarse grid: each of its cells lists the slots of the occupied
    /// `grid` cells inside it.
    private var coarseGrid = CellTable<Int32>()
    private var attributeSets = AttributeSets()
    /// Cell edge in unit-sphere units.
    private let cellSize: Double

    /// - Parameter cellSizeMeters: grid cell edge; about the typical search radius works best.
    public init(cellSizeMeters: Double = 1_000) {
        cellSize = cellSizeMeters / Self.sphereRadiusMeters
    }

    /// How many points the index holds.
    public var count: Int { points.count }

    /// How many distinct non-empty attribute sets the points hold.
    public var attributeSetCount: Int { attributeSets.count }

    /// Every point's id, in no particular order.
    public var ids: [PointID] { points.map(\.id) }

    /// The stored point for `id`.
    public func point(for id: PointID) -> (coordinate: Coordinate, updatedAt: Double, heading: Double?, attributes: Attributes)? {
        guard let position = position(of: id) else { return nil }
        let point = points[Int(position)]
        return (
            point.coordinate, point.updatedAt, point.heading.isNaN ? nil : Double(point.heading),
            attributeSets[grid[point.cellSlot, point.slotInCell].attributes]
        )
    }

    /// Inserts or moves a point. An update older than the stored one is
    /// ignored: late packets never move a point back.
    /// - Parameter heading: where the point is going, degrees clockwise from north, if known.
    /// - Parameter attributes: the point's attributes; nil keeps those it has (none for a new point).
    /// - Returns: whether the index changed.
    @discardableResult
    public mutating func upsert(
        _ id: PointID, at coordinate: Coordinate, updatedAt: Double, heading: Double? = nil, attributes: Attributes? = nil
    ) -> Bool {
        let heading = heading.map(Float.init) ?? .nan
        let vector = UnitVector(coordinate)
        let cell = cellKey(vector)
        if let position = position(of: id) {
            let index = Int(position)
            guard points[index].updatedAt <= updatedAt else { return false }
            var set = grid[points[index].cellSlot, points[index].slotInCell].attributes
            if let attributes, attributes != attributeSets[set] {
                attributeSets.release(set)
                set = attributeSets.retain(attributes)
            }
            let entry = CellEntry(vector: vector, updatedAt: updatedAt, position: position, attributes: set)
            if grid.keys[Int(points[index].cellSlot)] != cell {
                removeFromCell(index)
                (points[index].cellSlot, points[index].slotInCell) = addToCell(cell, entry)
            } else {
                grid[points[index].cellSlot, points[index].slotInCell] = entry
            }
            points[index].coordinate = coordinate
            points[index].updatedAt = updatedAt
            points[index].heading = heading
            return true
        }
        let position = Int32(points.count)
        let set = attributeSets.retain(attributes ?? .empty)
        let (cellSlot, slotInCell) = addToCell(cell, CellEntry(vector: vector, updatedAt: updatedAt, position: position, attributes: set))
        points.append(Point(id: id, coordinate: coordinate, updatedAt: updatedAt, heading: heading, cellSlot: cellSlot, slotInCell: slotInCell))
        withPositions { $0.insert(id, at: position, keyAt: $1) }
        return true
    }

    /// Removes a point; returns whether it was there.
    @discardableResult
    public mutating func remove(_ id: PointID) -> Bool {
        guard let position = withPositions({ $0.remove(id, keyAt: $1) }) else { return false }
        let index = Int(position)
        attributeSets.release(grid[points[index].cellSlot, points[index].slotInCell].attributes)
        removeFromCell(index)
        let last = points.count - 1
        if index != last {
            // Move the last point into the hole and repoint its references.
            points[index] = points[last]
            let moved = points[index].id
            withPositions { $0.move(moved, to: position, keyAt: $1) }
            grid[points[index].cellSlot, points[index].slotInCell].position = position
        }
        points.removeLast()
        return true
    }

    /// Up to `limit` points within `radiusMeters` of `center`, nearest first by
    /// `distance` (ties by id), skipping points updated before `updatedSince`
    /// and points whose attributes fail `filter`: the filter applies inside
    /// the search, so a point that fails it never takes a place among the k.
    /// Points up to 100 km away are measured with `WGS84.shortDistanceMeters`.
    /// - Parameter distance: the exact ellipsoidal distance in metres, for points
    ///   farther away (Karney's, say); it must lie within [0.9943, 1.0046] × the
    ///   great-circle distance on the mean sphere, as every WGS84 geodesic does.
    public func nearest(
        to center: Coordinate,
        radiusMeters: Double,
        limit: Int,
        updatedSince: Double = -.infinity,
        filter: AttributeFilter? = nil,
        distance: (Coordinate, Coordinate) -> Double
    ) -> [NearbyPoint] {
        guard limit > 0, radiusMeters > 0, !points.isEmpty else { return [] }
        let query = UnitVector(center)
        let reach = radiusMeters / Self.ellipsoidToSphereLowerBound / Self.sphereRadiusMeters
        let scan = scan(
            around: query, reachChordSquared: UnitVector.chordSquared(forAngle: reach), limit: limit, updatedSince: updatedSince,
            filter: filter.flatMap { $0.isEmpty ? nil : $0 }
        )
        guard !scan.nearest.isEmpty else { return [] }
        return measured(scan, query: query, center: center, radiusMeters: radiusMeters, limit: limit, distance: distance)
    }

    /// What a search's scan of the grid found: every point that can still
    /// matter, and among them the `limit` spherically nearest, sorted.
    private struct Scan {
        var candidates: [Candidate] = []
        var nearest: [Candidate] = []
    }

    private func scan(around query: UnitVector, reachChordSquared: Double, limit: Int, updatedSince: Double, filter: AttributeFilter?) -> Scan {
        // Once `limit` points are known, a point farther than the k-th by more
        // than the worst ellipsoid/sphere ratio can never be among the answers
        // (a chord grows at most linearly with its angle), so it is not even kept.
        let slackSquared = Self.sphereToEllipsoidSpread * Self.sphereToEllipsoidSpread
        var scan = Scan()
        // Room for what a search in a dense city keeps (a few dozen), so that
        // the array is not regrown and copied while the cells are scanned.
        scan.candidates.reserveCapacity(256)
        // Up to `sortedInsertionLimit` the k nearest are kept sorted as points
        // come (each insertion walks them); beyond it that walk makes a search
        // quadratic in the points wanted (every driver within the radius, for
        // nearby by road time: thousands), so the points are sorted once at the end.
        let keepsNearest = limit <= Self.sortedInsertionLimit
        if keepsNearest { scan.nearest.reserveCapacity(limit + 1) }
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
        grid.members.withUnsafeBufferPointer { allMembers in
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
                            if let filter, !filter.matches(attributeSets[member.attributes]) { continue }
                            let candidate = Candidate(
                                index: member.position, chordSquared: chordSquared, vector: member.vector, attributes: member.attributes
                            )
                            scan.candidates.append(candidate)
                            if keepsNearest, scan.nearest.count < limit || chordSquared < scan.nearest[scan.nearest.count - 1].chordSquared {
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
        if !keepsNearest {
            scan.nearest = Array(scan.candidates.sorted { ($0.chordSquared, $0.index) < ($1.chordSquared, $1.index) }.prefix(limit))
        }
        return scan
    }

    static var sortedInsertionLimit: Int { 64 }

    /// The k spherically nearest bound the answer; then what could beat them
    /// is measured too. Each step fetches its points before measuring any:
    /// they lie scattered in memory, and fetched together the CPU overlaps the
    /// cache misses instead of waiting for each behind a distance computation.
    private func measured(
        _ scan: Scan, query: UnitVector, center: Coordinate, radiusMeters: Double, limit: Int,
        distance: (Coordinate, Coordinate) -> Double
    ) -> [NearbyPoint] {
        // Closures here capture `points` and call a static `measure`, never
        // `self`: a closure that reaches `self` may copy the whole index (a
        // retain of each of its arrays), which a whole-module build of a
        // scratch benchmark did once per point measured.
        let points = self.points
        let sets = attributeSets
        let fetched = scan.nearest.map { points[Int($0.index)] }
        var measured = zip(fetched, scan.nearest).map { Self.measure($0, $1, sets, from: query, center, distance) }
        let bound = min(measured.reduce(0) { max($0, $1.distanceMeters) }, radiusMeters)
        let boundChordSquared = UnitVector.chordSquared(
            forAngle: bound / Self.ellipsoidToSphereLowerBound / Self.sphereRadiusMeters
        )
        // Which are among the nearest: a walk of them for a few, a set for many (a walk each was quadratic).
        let chosen = scan.nearest.count > Self.sortedInsertionLimit ? Set(scan.nearest.map(\.index)) : nil
        let challengers = scan.candidates.filter { candidate in
            candidate.chordSquared <= boundChordSquared
                && !(chosen?.contains(candidate.index) ?? scan.nearest.contains { $0.index == candidate.index })
        }
        let fetchedChallengers = challengers.map { points[Int($0.index)] }
        measured.reserveCapacity(measured.count + challengers.count)
        for (point, challenger) in zip(fetchedChallengers, challengers) {
            measured.append(Self.measure(point, challenger, sets, from: query, center, distance))
        }
        measured.removeAll { $0.distanceMeters > radiusMeters }
        measured.sort { ($0.distanceMeters, $0.id) < ($1.distanceMeters, $1.id) }
        if measured.count > limit { measured.removeLast(measured.count - limit) }
        return measured
    }

    private static func measure(
        _ point: Point, _ candidate: Candidate, _ sets: AttributeSets, from query: UnitVector, _ center: Coordinate,
        _ distance: (Coordinate, Coordinate) -> Double
    ) -> NearbyPoint {
        NearbyPoint(
            id: point.id, coordinate: point.coordinate,
            distanceMeters: WGS84.shortDistanceMeters(query, candidate.vector) ?? distance(center, point.coordinate),
            updatedAt: point.updatedAt, headingDegrees: point.heading.isNaN ? nil : Double(point.heading),
            attributes: sets[candidate.attributes]
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

    /// Packs the three cell coordinates (each within ±2^20) into one key.
    private func cellKey(_ vector: UnitVector) -> Int64 {
        key(cellCoordinate(vector.x), cellCoordinate(vector.y), cellCoordinate(vector.z))
    }

    private func cellCoordinate(_ value: Double) -> Int64 {
        Self.cellCoordinate(value, size: cellSize)
    }

    /// Which cell of edge `size` along an axis holds `value`.
    private static func cellCoordinate(_ value: Double, size: Double) -> Int64 {
        Int64((value / size).rounded(.down))
    }

    private static var keyOffset: Int64 { 1 << 20 }

    private func key(_ x: Int64, _ y: Int64, _ z: Int64) -> Int64 {
        ((x + Self.keyOffset) << 42) | ((y + Self.keyOffset) << 21) | (z + Self.keyOffset)
    }

    private func coordinates(of key: Int64) -> (x: Int64, y: Int64, z: Int64) {
        let mask: Int64 = (1 << 21) - 1
        return ((key >> 42) - Self.keyOffset, ((key >> 21) & mask) - Self.keyOffset, (key & mask) - Self.keyOffset)
    }

    /// The key of the coarse cell that holds the fine cell `key`.
    private func coarseKey(of key: Int64) -> Int64 {
        let (x, y, z) = coordinates(of: key)
        return self.key(x >> Self.coarseShift, y >> Self.coarseShift, z >> Self.coarseShift)
    }

    /// The cells, per axis, that a cube around a point touches.
    private struct CellRange {
        var low: (x: Int64, y: Int64, z: Int64)
        var high: (x: Int64, y: Int64, z: Int64)

        var count: Int64 { (high.x - low.x + 1) * (high.y - low.y + 1) * (high.z - low.z + 1) }

        func contains(_ x: Int64, _ y: Int64, _ z: Int64) -> Bool {
            (low.x...high.x).contains(x) && (low.y...high.y).contains(y) && (low.z...high.z).contains(z)
        }

        /// The coarse cells that hold these fine cells (shifts floor, negatives too).
        var coarse: CellRange {
            let shift = MovingPointIndex.coarseShift
            return CellRange(
                low: (low.x >> shift, low.y >> shift, low.z >> shift),
                high: (high.x >> shift, high.y >> shift, high.z >> shift)
            )
        }
    }

    private func cellRange(around query: UnitVector, halfEdge: Double) -> CellRange {
        CellRange(
            low: (cellCoordinate(query.x - halfEdge), cellCoordinate(query.y - halfEdge), cellCoordinate(query.z - halfEdge)),
            high: (cellCoordinate(query.x + halfEdge), cellCoordinate(query.y + halfEdge), cellCoordinate(query.z + halfEdge))
        )
    }

    /// Replaces `found` with the occupied cells of `range` that are not in
    /// `scanned`, each with the squared distance from `query` to its box (no
    /// member is closer), nearest first. A range of more fine cells than a
    /// coarse cell holds is read through the coarse grid, which visits only
    /// occupied cells; and a range of more coarse cells than are occupied,
    /// by walking the occupied coarse cells.
    private func cells(
        in range: CellRange, outside scanned: CellRange?, from query: UnitVector, into found: inout [(slot: Int32, boxChordSquared: Double)]
    ) {
        found.removeAll(keepingCapacity: true)
        found.reserveCapacity(Int(min(range.count, Int64(grid.count))))
        func gap(_ value: Double, _ cell: Int64) -> Double {
            let lower = Double(cell) * cellSize
            let gap = max(lower - value, value - (lower + cellSize), 0)
            return gap * gap
        }
        func add(_ slot: Int32, _ x: Int64, _ y: Int64, _ z: Int64) {
            found.append((slot, gap(query.x, x) + gap(query.y, y) + gap(query.z, z)))
        }
        if range.count <= Self.coarseFactor * Self.coarseFactor * Self.coarseFactor {
            forEachCellNearSurface(of: range, size: cellSize) { x, y, z in
                guard scanned?.contains(x, y, z) != true, let slot = grid.slot(of: key(x, y, z)) else { return }
                add(slot, x, y, z)
            }
        } else {
            func addOccupied(underCoarse slot: Int32) {
                for fine in coarseGrid.members[Int(slot)] {
                    let (x, y, z) = coordinates(of: grid.keys[Int(fine)])
                    if range.contains(x, y, z), scanned?.contains(x, y, z) != true { add(fine, x, y, z) }
                }
            }
            let coarse = range.coarse
            if coarse.count > Int64(coarseGrid.count) {
                for (slot, key) in coarseGrid.keys.enumerated() where key != CellTable<Int32>.vacantKey {
                    let (x, y, z) = coordinates(of: key)
                    if coarse.contains(x, y, z) { addOccupied(underCoarse: Int32(slot)) }
                }
            } else {
                forEachCellNearSurface(of: coarse, size: cellSize * Double(Self.coarseFactor)) { x, y, z in
                    if let slot = coarseGrid.slot(of: key(x, y, z)) { addOccupied(underCoarse: slot) }
                }
            }
        }
        found.sort { $0.boxChordSquared < $1.boxChordSquared }
    }

    /// Calls `body` with the cells of `range` (of edge `size`) that the unit
    /// sphere may pass through, the only cells that can hold points. Column
    /// by column (x and y fixed), the sphere's z over the column lies in two
    /// intervals, ±√(1 − x² − y²) for the column's least and greatest x² + y²,
    /// so only those cells are visited: a cube n cells wide costs about 2n²
    /// visits rather than n³ (most of a sparse search's time, when every
    /// cell was tested).
    private func forEachCellNearSurface(of range: CellRange, size: Double, _ body: (Int64, Int64, Int64) -> Void) {
        func cell(_ value: Double) -> Int64 { Self.cellCoordinate(value, size: size) }
        /// The least and greatest square of the values in cell `index`.
        func squares(_ index: Int64) -> (least: Double, greatest: Double) {
            let low = Double(index) * size
            let high = low + size
            let greatest = max(low * low, high * high)
            return (low <= 0 && high >= 0 ? 0 : min(low * low, high * high), greatest)
        }
        // Slack for rounding: a cell visited in vain costs a lookup, one
        // missed would lose its points.
        let slack = 1e-9
        for x in range.low.x...range.high.x {
            let xSquares = squares(x)
            for y in range.low.y...range.high.y {
                let ySquares = squares(y)
                let least = xSquares.least + ySquares.least
                guard least <= 1 + slack else { continue }
                let zHigh = (1 - least + slack).squareRoot()
                let zLow = max(1 - xSquares.greatest - ySquares.greatest - slack, 0).squareRoot()
                // Below the equator, then above it (from where the first ended, should they meet).
                let southLast = min(cell(-zLow), range.high.z)
                var z = max(cell(-zHigh), range.low.z)
                while z <= southLast {
                    body(x, y, z)
                    z += 1
                }
                let northLast = min(cell(zHigh), range.high.z)
                z = max(cell(zLow), range.low.z, southLast + 1)
                while z <= northLast {
                    body(x, y, z)
                    z += 1
                }
            }
        }
    }

    /// Adds an entry to the cell `key` (and a new cell to the coarse grid).
    /// - Returns: the cell's slot and the entry's index in it.
    private mutating func addToCell(_ key: Int64, _ entry: CellEntry) -> (Int32, Int32) {
        let added = grid.append(entry, to: key)
        if added.isNew { _ = coarseGrid.append(added.slot, to: coarseKey(of: key)) }
        return (added.slot, added.index)
    }

    /// Takes point `index`'s entry out of its cell (and an emptied cell out
    /// of the coarse grid).
    private mutating func removeFromCell(_ index: Int) {
        let point = points[index]
        let key = grid.keys[Int(point.cellSlot)]
        let (moved, emptied) = grid.remove(at: point.slotInCell, from: point.cellSlot)
        if let moved { points[Int(moved.position)].slotInCell = point.slotInCell }
        guard emptied, let coarse = coarseGrid.slot(of: coarseKey(of: key)),
              let listed = coarseGrid.members[Int(coarse)].firstIndex(of: point.cellSlot) else { return }
        _ = coarseGrid.remove(at: Int32(listed), from: coarse)
    }
}
