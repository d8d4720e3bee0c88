/// `X-Request-Id`: the caller's, when sane, so that one id follows a request
/// through every service; otherwise a new one.
enum RequestID {
    /// At most this many characters are taken from a caller.
    static let maximumLength = 128

    /// The caller's id when it is 1 to 128 visible ASCII characters (no
    /// spaces, no control characters: it goes into log lines and headers as is).
    static func accepted(_ header: String?) -> String? {
        guard let header, !header.utf8.isEmpty, header.utf8.count <= maximumLength,
              header.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        return header
    }

    /// 128 random bits as 32 lowercase hex digits.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
