public import Foundation
public import GeoCore

extension PointID {
    /// The UUID's 16 bytes, big-endian: ordering matches PostgreSQL's for `uuid`.
    public init(_ uuid: UUID) {
        let (high, low) = withUnsafeBytes(of: uuid.uuid) { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
        self.init(high: high, low: low)
    }

    public var uuid: UUID {
        var bytes = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: &bytes) { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
    }

    /// The canonical lowercase form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`,
    /// without going through Foundation (this runs for every nearby result).
    public var uuidString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            for (word, range) in [(high, 0..<16), (low, 16..<32)] {
                for nibble in range {
                    if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    let shift = UInt64(60 - 4 * (nibble % 16))
                    buffer[index] = digits[Int((word >> shift) & 0xF)]
                    index += 1
                }
            }
            return index
        }
    }
}
