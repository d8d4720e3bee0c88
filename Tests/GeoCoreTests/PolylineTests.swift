import GeoCore
import Testing

@Suite struct PolylineTests {
    static func line(_ pairs: [(Double, Double)]) -> [Coordinate] {
        pairs.map { try! Coordinate(latitude: $0.0, longitude: $0.1) }
    }

    static let googleLine = line([(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)])

    @Test func googlesPublishedVector() throws {
        #expect(try Polyline.encode(Self.googleLine) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@")
        #expect(try Polyline.decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@") == Self.googleLine)
    }

    @Test func precisionSixVector() throws {
        #expect(try Polyline.encode(Self.googleLine, precision: 6) == "_izlhA~rlgdF_{geC~ywl@_kwzCn`{nI")
        #expect(try Polyline.decode("_izlhA~rlgdF_{geC~ywl@_kwzCn`{nI", precision: 6) == Self.googleLine)
    }

    @Test func emptyLineIsEmptyString() throws {
        #expect(try Polyline.encode([]) == "")
        #expect(try Polyline.decode("") == [])
    }

    @Test func roundsHalfAwayFromZero() throws {
        // 0.25 and 0.125 are exact in binary, so scaled they are exact halves.
        let halves = Self.line([(0.25, -0.25)])
        #expect(try Polyline.decode(Polyline.encode(halves, precision: 1), precision: 1) == Self.line([(0.3, -0.3)]))
        let eighths = Self.line([(0.125, -0.125), (0.375, -0.375)])
        // 12.5 and 37.5: ties-to-even would give 12 and 38; away from zero gives 13 and 38.
        #expect(try Polyline.decode(Polyline.encode(eighths, precision: 2), precision: 2) == Self.line([(0.13, -0.13), (0.38, -0.38)]))
        // Each point is rounded on its own, then deltas are taken, so deltas crossing zero stay exact.
        let crossing = Self.line([(0.000014, 0.000016), (-0.000016, -0.000014)])
        #expect(try Polyline.decode(Polyline.encode(crossing)) == Self.line([(0.00001, 0.00002), (-0.00002, -0.00001)]))
    }

    @Test func extremesAtPrecisionSevenDoNotOverflow() throws {
        let corners = Self.line([(90, 180), (-90, -180), (90, -180), (-90, 180), (0, 0)])
        for precision in Polyline.supportedPrecisions {
            #expect(try Polyline.decode(Polyline.encode(corners, precision: precision), precision: precision) == corners)
        }
    }

    @Test func randomLinesRoundTripWithinHalfAUnit() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let precision = Int.random(in: 1...7, using: &generator)
            let unit = 1 / pow10(precision)
            let line = (0..<Int.random(in: 0...50, using: &generator)).map { _ in
                try! Coordinate(latitude: .random(in: -90...90, using: &generator), longitude: .random(in: -180...180, using: &generator))
            }
            let decoded = try Polyline.decode(Polyline.encode(line, precision: precision), precision: precision)
            #expect(decoded.count == line.count)
            for (a, b) in zip(line, decoded) {
                #expect(abs(a.latitude - b.latitude) <= unit / 2 + 1e-12)
                #expect(abs(a.longitude - b.longitude) <= unit / 2 + 1e-12)
            }
        }
    }

    @Test func rejectsMalformedInput() {
        #expect(throws: PolylineError.truncated) { try Polyline.decode("_p~iF~ps|U_") }
        #expect(throws: PolylineError.oddNumberOfValues) { try Polyline.decode("_p~iF") }
        #expect(throws: PolylineError.invalidCharacter(offset: 2)) { try Polyline.decode("_p iF~ps|U") }
        #expect(throws: PolylineError.invalidCharacter(offset: 0)) { try Polyline.decode("\u{7F}") }
        #expect(throws: PolylineError.invalidCharacter(offset: 1)) { try Polyline.decode("?é") }
        // The same rules where a value's first two chunks are read without the loop.
        #expect(throws: PolylineError.invalidCharacter(offset: 2)) { try Polyline.decode("?_ ??") }
        #expect(throws: PolylineError.invalidCharacter(offset: 1)) { try Polyline.decode("?\u{7F}???") }
        #expect(throws: PolylineError.truncated) { try Polyline.decode("?__") }
        #expect(throws: PolylineError.tooManyPoints(maximum: 2)) {
            try Polyline.decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@", maximumPoints: 2)
        }
        #expect(throws: PolylineError.unsupportedPrecision(8)) { try Polyline.decode("", precision: 8) }
        #expect(throws: PolylineError.unsupportedPrecision(0)) { try Polyline.encode([], precision: 0) }
        // 14 continuation chunks cannot be a 64-bit value.
        #expect(throws: PolylineError.valueTooLarge(offset: 12)) { try Polyline.decode(String(repeating: "~", count: 14) + "?") }
        // A latitude of 91 degrees.
        // Latitude 45 written at precision 6 reads as 450 degrees at precision 5.
        #expect(throws: PolylineError.coordinateOutOfRange(pointIndex: 1)) {
            try Polyline.decode(Polyline.encode(Self.line([(1, 1), (45, 0)]), precision: 6), precision: 5)
        }
    }

    private func pow10(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}
