/// A validated key of the tag-aware cache: 1 to 512 bytes of UTF-8 without
/// control characters, so it is safe in URLs, logs and the `cache_entries` key
/// column (which enforces the same length).
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    public static let maximumBytes = 512

    /// The key as stored: the tenant's prefix, then `name`.
    public let rawValue: String
    /// The key as the client wrote it.
    public let name: String
    public let tenant: CacheTenant

    public init(_ name: String, tenant: CacheTenant = .default) throws(CacheKeyError) {
        guard !name.isEmpty else { throw .empty }
        guard name.utf8.count <= Self.maximumBytes else { throw .tooLong(bytes: name.utf8.count) }
        guard !Self.containsControlCharacter(name) else { throw .controlCharacter }
        self.name = name
        self.tenant = tenant
        self.rawValue = tenant.stored(name)
    }

    /// Unicode's control characters (category Cc) are exactly U+0000…U+001F
    /// and U+007F…U+009F: in UTF-8 a byte below 0x20, 0x7F, or 0xC2 followed
    /// by 0x80…0x9F. Checked on the bytes because every cache request pays
    /// for it, and looking up each scalar's category cost more than the rest
    /// of parsing the key.
    static func containsControlCharacter(_ string: String) -> Bool {
        var previous: UInt8 = 0
        for byte in string.utf8 {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte < 0xA0) { return true }
            previous = byte
        }
        return false
    }

    public var description: String { rawValue }
}

/// Why a string is not a valid `CacheKey`.
public enum CacheKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(bytes: Int)
    case controlCharacter

    /// The rule broken, worded to follow the field's name.
    public var rule: String {
        switch self {
        case .empty: "must not be empty"
        case .tooLong(let bytes): "must be at most \(CacheKey.maximumBytes) bytes of UTF-8, got \(bytes)"
        case .controlCharacter: "must not contain control characters"
        }
    }

    public var description: String { "key " + rule }
}
