/// What one instance's in-memory level holds now.
public struct L1Statistics: Sendable, Equatable {
    public let entries: Int
    public let bytes: Int
    public let evictions: Int
    /// False while the instance is not hearing other instances' changes (and so serves nothing from memory).
    public let coherent: Bool
}
