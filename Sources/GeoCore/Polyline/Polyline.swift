/// Google's encoded polyline format ("Encoded Polyline Algorithm Format"), at
/// any precision from 1 to 7 decimal digits: 5 is Google's and OSRM's
/// `polyline`, 6 is OSRM's `polyline6` and Valhalla's.
///
/// Points are encoded latitude first, then longitude. Each value is scaled by
/// 10^precision and rounded half away from zero (as Google's reference does)
/// before taking the delta from the previous point; all arithmetic is 64-bit,
/// so precision 7 cannot overflow.
public enum Polyline {
    public static let supportedPrecisions = 1...7

    /// The default cap on decoded points: a route across a continent at
    /// full detail has tens of thousands; more is an attack, not a route.
    public static let defaultMaximumPoints = 1_000_000

    /// Encodes coordinates as a polyline string.
    public static func encode(_ coordinates: [Coordinate], precision: Int = 5) throws(PolylineError) -> String {
        guard supportedPrecisions.contains(precision) else { throw .unsupportedPrecision(precision) }
        let factor = scale(precision)
        // Worst case per point: two values of up to 8 chunks each at precision 7.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(coordinates.count * 12)
        var previousLatitude: Int64 = 0
        var previousLongitude: Int64 = 0
        for coordinate in coordinates {
            let latitude = Int64((coordinate.latitude * factor).rounded(.toNearestOrAwayFromZero))
            let longitude = Int64((coordinate.longitude * factor).rounded(.toNearestOrAwayFromZero))
            appendValue(latitude - previousLatitude, to: &bytes)
            appendValue(longitude - previousLongitude, to: &bytes)
            previousLatitude = latitude
            previousLongitude = longitude
        }
        return String(decoding: bytes, as: UTF8.self)
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
        var coordinates: [Coordinate] = []
        // Each point takes at least two bytes.
        coordinates.reserveCapacity(min(bytes.count / 2, maximumPoints))
        var index = 0
        var latitude: Int64 = 0
        var longitude: Int64 = 0
        while index < bytes.count {
            guard coordinates.count < maximumPoints else { throw .tooManyPoints(maximum: maximumPoints) }
            latitude += try readValue(bytes, &index)
            guard index < bytes.count else { throw .oddNumberOfValues }
            longitude += try readValue(bytes, &index)
            do {
                coordinates.append(try Coordinate(latitude: Double(latitude) / divisor, longitude: Double(longitude) / divisor))
            } catch {
                throw .coordinateOutOfRange(pointIndex: coordinates.count)
            }
        }
        return coordinates
    }

    @inline(__always)
    private static func appendValue(_ value: Int64, to bytes: inout [UInt8]) {
        // Zig-zag: the sign moves to the lowest bit so small magnitudes stay short.
        var rest = UInt64(bitPattern: value < 0 ? ~(value << 1) : value << 1)
        while rest >= 0x20 {
            bytes.append(UInt8(truncatingIfNeeded: (rest & 0x1F) | 0x20) + 63)
            rest >>= 5
        }
        bytes.append(UInt8(truncatingIfNeeded: rest) + 63)
    }

    @inline(__always)
    private static func readValue(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws(PolylineError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count else { throw .truncated }
            let byte = bytes[index]
            guard byte >= 63, byte <= 126 else { throw .invalidCharacter(offset: index) }
            let chunk = UInt64(byte - 63)
            // A 64-bit value needs at most 13 chunks, the 13th holding only
            // bits 60…63 and no continuation; anything longer is no 64-bit value.
            guard shift < 60 || (shift == 60 && chunk <= 0x0F) else { throw .valueTooLarge(offset: index) }
            result |= (chunk & 0x1F) << shift
            index += 1
            if chunk < 0x20 { break }
            shift += 5
        }
        let value = Int64(bitPattern: result >> 1)
        return result & 1 == 0 ? value : ~value
    }

    @inline(__always)
    private static func scale(_ precision: Int) -> Double {
        [1.0, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000][precision]
    }
}
