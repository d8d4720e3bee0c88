import GeoCore
import NIOCore

/// A LINESTRING in well-known binary (`ST_AsBinary`, `ST_GeomFromWKB`):
/// exact doubles, where text or an encoded polyline would round.
enum LineStringWKB {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func encode(_ points: [Coordinate]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(9 + points.count * 16)
        buffer.writeInteger(UInt8(1))
        buffer.writeInteger(UInt32(2), endianness: .little)
        buffer.writeInteger(UInt32(points.count), endianness: .little)
        for point in points {
            buffer.writeInteger(point.longitude.bitPattern, endianness: .little)
            buffer.writeInteger(point.latitude.bitPattern, endianness: .little)
        }
        return buffer
    }

    static func decode(_ buffer: ByteBuffer) throws -> [Coordinate] {
        var buffer = buffer
        guard let order = buffer.readInteger(as: UInt8.self), order <= 1 else { throw Malformed(description: "no byte order mark") }
        let endianness: Endianness = order == 1 ? .little : .big
        guard let type = buffer.readInteger(endianness: endianness, as: UInt32.self) else { throw Malformed(description: "truncated type") }
        var geometryType = type & 0x0FFF_FFFF
        if type & 0x2000_0000 != 0 { _ = buffer.readInteger(endianness: endianness, as: UInt32.self) }  // EWKB SRID
        geometryType %= 1000
        guard geometryType == 2 else { throw Malformed(description: "geometry type \(geometryType) is not a LINESTRING") }
        guard let count = buffer.readInteger(endianness: endianness, as: UInt32.self), Int(count) * 16 <= buffer.readableBytes else {
            throw Malformed(description: "truncated point count")
        }
        var points: [Coordinate] = []
        points.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let x = buffer.readInteger(endianness: endianness, as: UInt64.self),
                  let y = buffer.readInteger(endianness: endianness, as: UInt64.self)
            else { throw Malformed(description: "truncated point") }
            points.append(try Coordinate(latitude: Double(bitPattern: y), longitude: Double(bitPattern: x)))
        }
        return points
    }
}
