/// A driver's attributes: up to `maximumFields` named scalars that nearby
/// searches filter on (`status`, `vehicle_class`, `seats`), one value per
/// name, kept sorted by name so that equal sets compare and hash equal.
public struct Attributes: Hashable, Sendable {
    /// One attribute's value: a string, a finite number or a boolean.
    public enum Value: Hashable, Sendable {
        case string(String)
        case number(Double)
        case bool(Bool)
    }

    public struct Field: Hashable, Sendable {
        public let name: String
        public let value: Value

        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    public static var maximumFields: Int { 16 }
    /// Longest name and longest string value, in UTF-8 bytes.
    public static var maximumNameBytes: Int { 64 }
    public static var maximumStringBytes: Int { 64 }

    /// Sorted by name, names unique.
    public let fields: [Field]

    public static let empty = Attributes(sorted: [])

    /// The fields given; a repeated name keeps its last value.
    public init(_ fields: [Field]) {
        var byName: [String: Field] = [:]
        for field in fields { byName[field.name] = field }
        self.init(sorted: byName.values.sorted { $0.name < $1.name })
    }

    private init(sorted: [Field]) {
        fields = sorted
    }

    public var isEmpty: Bool { fields.isEmpty }

    public subscript(name: String) -> Value? {
        fields.first { $0.name == name }?.value
    }

    /// Whether `name` suits an attribute: 1 to 64 bytes of ASCII letters,
    /// digits, `_`, `-` and `.`, so that it never holds the `:` and `,` that
    /// separate a filter's parts.
    public static func isValidName(_ name: String) -> Bool {
        NameSyntax.isValid(name, maximumBytes: maximumNameBytes)
    }
}
