import GeoCore
import Testing

@Suite(.timeLimit(.minutes(5))) struct PolylineTests {
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
        // Latitude 45 written at precision 6 reads as 450 degrees at precision 5.
        #expect(throws: PolylineError.coordinateOutOfRange(pointIndex: 1)) {
            try Polyline.decode(Polyline.encode(Self.line([(1, 1), (45, 0)]), precision: 6), precision: 5)
        }
    }

    /// The decoder reads short values without its chunk loop; on random
    /// strings (valid, truncated, invalid characters, overlong values) it must
    /// answer exactly what the textbook one-chunk-at-a-time loop answers.
    @Test func decodingAgreesWithTheTextbookLoopOnRandomStrings() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...16, using: &generator)).map { _ -> UInt8 in
                switch Int.random(in: 0..<10, using: &generator) {
                case 0..<5: .random(in: 63..<95, using: &generator)  // last chunk of a value
                case 5..<9: .random(in: 95...126, using: &generator) // continues
                default: [32, 62, 127].randomElement(using: &generator)!
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let precision = Int.random(in: 5...6, using: &generator)
            let expected = Self.textbookDecode(bytes, precision: precision, maximumPoints: 5)
            let actual = Result { () throws(PolylineError) in try Polyline.decode(text, precision: precision, maximumPoints: 5) }
            #expect(actual == expected, "\(text) at precision \(precision)")
        }
    }

    private static func textbookDecode(_ bytes: [UInt8], precision: Int, maximumPoints: Int) -> Result<[Coordinate], PolylineError> {
        let scale = [1.0, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000][precision]
        var index = 0
        func value() throws(PolylineError) -> Int64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count else { throw .truncated }
                guard (63...126).contains(bytes[index]) else { throw .invalidCharacter(offset: index) }
                let chunk = UInt64(bytes[index] - 63)
                guard shift < 60 || (shift == 60 && chunk <= 0x0F) else { throw .valueTooLarge(offset: index) }
                result |= (chunk & 0x1F) << shift
                index += 1
                if chunk < 0x20 { return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1) }
                shift += 5
            }
        }
        return Result { () throws(PolylineError) in
            var points: [Coordinate] = []
            var latitude: Int64 = 0
            var longitude: Int64 = 0
            while index < bytes.count {
                guard points.count < maximumPoints else { throw .tooManyPoints(maximum: maximumPoints) }
                latitude &+= try value()
                guard index < bytes.count else { throw .oddNumberOfValues }
                longitude &+= try value()
                guard let point = try? Coordinate(latitude: Double(latitude) / scale, longitude: Double(longitude) / scale) else {
                    throw .coordinateOutOfRange(pointIndex: points.count)
                }
                points.append(point)
            }
            return points
        }
    }

    private func pow10(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}
