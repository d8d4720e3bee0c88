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
        let factor = scale(precision)
        return String(unsafeUninitializedCapacity: coordinates.count * maximumBytesPerPoint) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var cursor = base
            var previousLatitude: Int64 = 0
            var previousLongitude: Int64 = 0
            for coordinate in coordinates {
                let latitude = roundHalfAwayFromZero(coordinate.latitude * factor)
                let longitude = roundHalfAwayFromZero(coordinate.longitude * factor)
                cursor = write(latitude &- previousLatitude, at: cursor)
                cursor = write(longitude &- previousLongitude, at: cursor)
                previousLatitude = latitude
                previousLongitude = longitude
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
        let divisor = scale(precision)
        let latitudeLimit = Int64(90 * divisor)
        let longitudeLimit = Int64(180 * divisor)
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
                guard abs(latitude) <= latitudeLimit, abs(longitude) <= longitudeLimit else {
                    failure = .coordinateOutOfRange(pointIndex: count)
                    return
                }
                // Division, not multiplication by 10^-precision: it is correctly
                // rounded, so 3850000 at precision 5 decodes to exactly 38.5.
                (output.baseAddress! + count).initialize(
                    to: Coordinate(uncheckedLatitude: Double(latitude) / divisor, longitude: Double(longitude) / divisor)
                )
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
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }

    /// Rounds half away from zero without a libm call: adding and removing
    /// 1.5 × 2^52 rounds to the nearest integer (ties to even) in plain
    /// floating-point arithmetic, exactly, for |x| < 2^51; ties are then moved
    /// away from zero. Scaled coordinates are below 2^31.
    @inline(__always)
    static func roundHalfAwayFromZero(_ x: Double) -> Int64 {
        let magic = 6_755_399_441_055_744.0
        let nearest = (x + magic) - magic
        // x is an exact half here, so x ± 0.5 is exact too.
        let rounded = abs(x - nearest) == 0.5 ? x + (x < 0 ? -0.5 : 0.5) : nearest
        return Int64(rounded)
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
