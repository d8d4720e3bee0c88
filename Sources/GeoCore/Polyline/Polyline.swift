/// Google's encoded polyline format ("Encoded Polyline Algorithm Format"), at
/// any precision from 1 to 7 decimal digits: 5 is Google's and OSRM's
/// `polyline`, 6 is OSRM's `polyline6` and Valhalla's.
///
/// Points are encoded latitude first, then longitude. Each value is scaled by
/// 10^precision and rounded half away from zero (as Google's reference does)
/// before taking the delta from the previous point; all arithmetic is 64-bit,
/// so precision 7 cannot overflow.
///
/// Both directions write straight into the result's storage (one allocation,
/// no per-byte capacity checks), because the codec runs for every route served.
public enum Polyline {
    public static let supportedPrecisions = 1...7

    /// The default cap on decoded points: a route across a continent at
    /// full detail has tens of thousands; more is an attack, not a route.
    public static let defaultMaximumPoints = 1_000_000

    /// At precision 7 a delta is at most 360e7, under 2^33 after zig-zag: 7
    /// chunks of 5 bits, so a point never takes more than 14 bytes.
    static let maximumBytesPerPoint = 14

    /// Encodes coordinates as a polyline string.
    public static func encode(_ coordinates: [Coordinate], precision: Int = 5) throws(PolylineError) -> String {
        guard supportedPrecisions.contains(precision) else { throw .unsupportedPrecision(precision) }
        let factor = SIMD2(repeating: scale(precision))
        return String(unsafeUninitializedCapacity: coordinates.count * maximumBytesPerPoint) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var cursor = base
            var previous = SIMD2<Int64>.zero
            coordinates.withUnsafeBufferPointer { points in
                for point in points {
                    let value = roundHalfAwayFromZero(SIMD2(point.latitude, point.longitude) * factor)
                    let delta = value &- previous
                    previous = value
                    cursor = write(delta.x, at: cursor)
                    cursor = write(delta.y, at: cursor)
                }
            }
            return base.distance(to: cursor)
        }
    }

    /// Decodes a polyline string. Rejects anything that is not exactly a
    /// sequence of whole (latitude, longitude) pairs; never invents a point.
    public static func decode(
        _ polyline: String,
        precision: Int = 5,
        maximumPoints: Int = defaultMaximumPoints
    ) throws(PolylineError) -> [Coordinate] {
        guard supportedPrecisions.contains(precision) else { throw .unsupportedPrecision(precision) }
        // Native strings are already contiguous UTF-8, so this neither copies
        // nor allocates; the decoder then reads raw bytes.
        var string = polyline
        string.makeContiguousUTF8()
        var result: Result<[Coordinate], PolylineError> = .success([])
        _ = string.utf8.withContiguousStorageIfAvailable { bytes in
            result = Result { () throws(PolylineError) in try decode(bytes, precision: precision, maximumPoints: maximumPoints) }
        }
        return try result.get()
    }

    private static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>,
        precision: Int,
        maximumPoints: Int
    ) throws(PolylineError) -> [Coordinate] {
        let divisor = SIMD2(repeating: scale(precision))
        let latitudeLimit = Int64(90 * divisor.x)
        let longitudeLimit = Int64(180 * divisor.x)
        var failure: PolylineError?
        // Each point takes at least two bytes, so this capacity always suffices.
        let capacity = min(bytes.count / 2, maximumPoints)
        let coordinates = [Coordinate](unsafeUninitializedCapacity: capacity) { output, count in
            var index = 0
            var latitude: Int64 = 0
            var longitude: Int64 = 0
            while index < bytes.count {
                guard count < maximumPoints else { failure = .tooManyPoints(maximum: maximumPoints); return }
                do throws(PolylineError) {
                    latitude &+= try readValue(bytes, &index)
                    guard index < bytes.count else { failure = .oddNumberOfValues; return }
                    longitude &+= try readValue(bytes, &index)
                } catch {
                    failure = error
                    return
                }
                // Unsigned comparison after shifting by the limit: both bounds in one test.
                guard UInt64(bitPattern: latitude &+ latitudeLimit) <= 2 * UInt64(latitudeLimit),
                      UInt64(bitPattern: longitude &+ longitudeLimit) <= 2 * UInt64(longitudeLimit) else {
                    failure = .coordinateOutOfRange(pointIndex: count)
                    return
                }
                // Division, not multiplication by 10^-precision: it is correctly
                // rounded, so 3850000 at precision 5 decodes to exactly 38.5.
                // Both halves share one vector division.
                let degrees = SIMD2(Double(latitude), Double(longitude)) / divisor
                (output.baseAddress! + count).initialize(to: Coordinate(uncheckedLatitude: degrees.x, longitude: degrees.y))
                count += 1
            }
        }
        if let failure { throw failure }
        return coordinates
    }

    @inline(__always)
    private static func write(_ value: Int64, at cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        // Zig-zag: the sign moves to the lowest bit so small magnitudes stay short.
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var cursor = cursor
        // Most values of a road's shape take one or two chunks: written without the loop.
        if rest < 0x400 {
            let low = UInt8(truncatingIfNeeded: rest & 0x1F)
            guard rest >= 0x20 else {
                cursor.pointee = low &+ 63
                return cursor + 1
            }
            cursor.pointee = (low | 0x20) &+ 63
            cursor[1] = UInt8(truncatingIfNeeded: rest >> 5) &+ 63
            return cursor + 2
        }
        while rest >= 0x20 {
            cursor.pointee = UInt8(truncatingIfNeeded: (rest & 0x1F) | 0x20) &+ 63
            cursor += 1
            rest >>= 5
        }
        cursor.pointee = UInt8(truncatingIfNeeded: rest) &+ 63
        return cursor + 1
    }

    @inline(__always)
    private static func readValue(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws(PolylineError) -> Int64 {
        // Most values of a road's shape take one or two chunks: those skip the loop.
        if index + 1 < bytes.count {
            let first = UInt64(bytes[index] &- 63)
            if first < 0x20 {
                index += 1
                return zigZagDecoded(first)
            }
            let second = UInt64(bytes[index + 1] &- 63)
            if first < 0x40, second < 0x20 {
                index += 2
                return zigZagDecoded(first & 0x1F | second << 5)
            }
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count else { throw .truncated }
            let chunk = UInt64(bytes[index]) &- 63
            guard chunk < 64 else { throw .invalidCharacter(offset: index) }
            // A 64-bit value needs at most 13 chunks, the 13th holding only
            // bits 60…63 and no continuation; anything longer is no 64-bit value.
            guard shift < 60 || (shift == 60 && chunk <= 0x0F) else { throw .valueTooLarge(offset: index) }
            result |= (chunk & 0x1F) << shift
            index += 1
            if chunk < 0x20 { break }
            shift += 5
        }
        return zigZagDecoded(result)
    }

    @inline(__always)
    private static func zigZagDecoded(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// Rounds half away from zero without a libm call or a range-checked
    /// conversion: adding 1.5 × 2^52 leaves round-to-nearest-even(x) in the
    /// low mantissa bits, exactly, for |x| < 2^51 (scaled coordinates are
    /// below 2^31); the rare exact halves are then moved away from zero.
    @inline(__always)
    static func roundHalfAwayFromZero(_ x: SIMD2<Double>) -> SIMD2<Int64> {
        let magic = SIMD2<Double>(repeating: 6_755_399_441_055_744.0)
        let shifted = x + magic
        var rounded = unsafeBitCast(shifted, to: SIMD2<Int64>.self) &- unsafeBitCast(magic, to: SIMD2<Int64>.self)
        let remainder = x - (shifted - magic)
        if any((remainder .== 0.5) .| (remainder .== -0.5)) {
            for lane in 0..<2 where abs(remainder[lane]) == 0.5 && (remainder[lane] > 0) == (x[lane] > 0) {
                rounded[lane] &+= x[lane] > 0 ? 1 : -1
            }
        }
        return rounded
    }

    @inline(__always)
    private static func scale(_ precision: Int) -> Double {
        switch precision {
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        default: 10_000_000
        }
    }
}
