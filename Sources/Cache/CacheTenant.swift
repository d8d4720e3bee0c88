/// A cache namespace: the entries of one tenant (a `service_role` token's
/// `tenant` claim), or of the default one (tokens without the claim).
///
/// Stored keys, tags and types carry the tenant as a prefix ending in U+001F
/// (the unit separator); the default tenant has no prefix. A client's keys,
/// tags and types may hold no control character, so no string of one tenant
/// can equal one of another: not a key (no read, overwrite or delete
/// across), not a tag (no invalidation across), not a type (stats apart).
/// Everything below the API (memory level, table, notifications, the
/// set/invalidate ordering) works on the stored strings unchanged.
public struct CacheTenant: Hashable, Sendable {
    public static let `default` = CacheTenant(name: nil)
    static let separator: Character = "\u{1F}"

    /// nil for the default tenant.
    public let name: String?

    /// `name` must already be a valid tenant name (`TenantName.isValid`).
    public init(name: String?) {
        self.name = name
    }

    /// What every stored string of this tenant begins with.
    public var prefix: String { name.map { $0 + String(Self.separator) } ?? "" }

    public func stored(_ string: String) -> String { prefix + string }

    public func stored(_ strings: [String]) -> [String] {
        name == nil ? strings : strings.map(stored)
    }

    /// A stored key, tag or type as its tenant's client wrote it.
    public static func visible(_ stored: String) -> String {
        guard let separator = stored.firstIndex(of: separator) else { return stored }
        return String(stored[stored.index(after: separator)...])
    }

    /// Whether a stored string belongs to this tenant.
    public func owns(_ stored: String) -> Bool {
        guard let name else { return !stored.contains(Self.separator) }
        return stored.hasPrefix(name + String(Self.separator))
    }
}
