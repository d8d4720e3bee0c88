public import GeoCore

/// Which of many areas hold a point: a grid of cells over the areas' boxes
/// in front of the exact test. Immutable once built; a change of the areas
/// builds a new index (fences change rarely, points are tested constantly).
/// Values are fences' keys: not generic, so that the test, called for
/// every position written, is compiled for them (generic, it was not
/// specialised across modules and spent a tenth of its time looking up
/// type metadata).
///
/// A cell is `cellDegrees` on a side: a hundredth of a degree (about a
/// kilometre) holds a few dozen fences of a city block's size, each then
/// dismissed by its box; with 0.05° W2G's dense grid of fences put 400 in a
/// cell, and testing them was most of the writer's time. An area whose box would cover more than
/// `maximumCellsPerArea` cells (a country, a hemisphere) is kept apart and
/// tested for every point, so one wide area cannot swell the grid.
public struct AreaIndex: Sendable {
    public struct Entry: Sendable {
        public let area: PreparedFenceArea
        public let value: Int64

        public init(area: PreparedFenceArea, value: Int64) {
            self.area = area
            self.value = value
        }
    }

    public let entries: [Entry]
    private let cells: [Cell: [Int32]]
    private let wide: [Int32]
    private let cellDegrees: Double

    private struct Cell: Hashable {
        let x: Int32, y: Int32
    }

    public init(_ entries: [Entry], cellDegrees: Double = 0.01, maximumCellsPerArea: Int = 4_096) {
        self.entries = entries
        self.cellDegrees = cellDegrees
        var cells: [Cell: [Int32]] = [:]
        var wide: [Int32] = []
        for (slot, entry) in entries.enumerated() {
            let b = entry.area.bounds
            let x0 = Self.step(b.minLongitude, cellDegrees), x1 = Self.step(b.maxLongitude, cellDegrees)
            let y0 = Self.step(b.minLatitude, cellDegrees), y1 = Self.step(b.maxLatitude, cellDegrees)
            guard (Int(x1) - Int(x0) + 1) * (Int(y1) - Int(y0) + 1) <= maximumCellsPerArea else {
                wide.append(Int32(slot))
                continue
            }
            for x in x0...x1 {
                for y in y0...y1 {
                    // Boxes beyond ±180° (across the antimeridian) are filed where their points fall.
                    cells[Cell(x: Self.wrapped(x, cellDegrees), y: y), default: []].append(Int32(slot))
                }
            }
        }
        self.cells = cells
        self.wide = wide
    }

    /// The values of every area that holds `point` (inside or on the boundary), in the order they were given.
    public func values(containing point: Coordinate) -> [Int64] {
        let cell = Cell(x: Self.wrapped(Self.step(point.longitude, cellDegrees), cellDegrees), y: Self.step(point.latitude, cellDegrees))
        var slots = (cells[cell] ?? []) + wide
        if !wide.isEmpty { slots.sort() }
        return slots.lazy.filter { entries[Int($0)].area.contains(point) }.map { entries[Int($0)].value }
    }

    private static func step(_ degrees: Double, _ size: Double) -> Int32 {
        Int32((degrees / size).rounded(.down))
    }

    /// A column of cells as a point's longitude in [-180°, 180°] files it.
    private static func wrapped(_ x: Int32, _ size: Double) -> Int32 {
        let columns = Int32((360 / size).rounded())
        let west = step(-180, size)
        return (x - west) % columns + west + ((x - west) % columns < 0 ? columns : 0)
    }
}
