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

    /// The length of `uuidString`.
    public static var uuidStringLength: Int { 36 }

    /// The canonical lowercase form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`,
    /// without going through Foundation (this runs for every nearby result).
    public var uuidString: String {
        String(unsafeUninitializedCapacity: Self.uuidStringLength) { writeUUIDString(into: $0); return Self.uuidStringLength }
    }

    /// `uuidString`, written into the first `uuidStringLength` bytes of `buffer`.
    public func writeUUIDString(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        var index = 0
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            let word = nibble < 16 ? high : low
            let digit = UInt8((word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)
            buffer[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            index += 1
        }
    }
}
