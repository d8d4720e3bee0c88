/// Reads ASCII text out of bytes a character at a time: what the hand-written
/// readers of RFC 3339 timestamps and of decimal numbers share. A struct whose
/// methods mutate it, not closures over local variables: those variables are
/// boxed, and every access to them is checked for exclusivity at run time.
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index == bytes.count }

    /// Consumes `character` if it comes next.
    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Consumes a decimal digit if one comes next, and gives its value.
    mutating func digit() -> Int? {
        guard index < bytes.count else { return nil }
        let value = bytes[index] &- UInt8(ascii: "0")
        guard value < 10 else { return nil }
        index += 1
        return Int(value)
    }
}
