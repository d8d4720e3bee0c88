/// A validated key of the tag-aware cache: 1 to 512 bytes of UTF-8 without
/// control characters, so it is safe in URLs, logs and the `cache_entries` key
/// column (which enforces the same length).
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    public static let maximumBytes = 512

    public let rawValue: String

    public init(_ rawValue: String) throws(CacheKeyError) {
        guard !rawValue.isEmpty else { throw .empty }
        guard rawValue.utf8.count <= Self.maximumBytes else { throw .tooLong(bytes: rawValue.utf8.count) }
        guard !rawValue.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .controlCharacter
        }
        self.rawValue = rawValue
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
