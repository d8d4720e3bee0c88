import Foundation

/// Reads typed fields out of a JSON object, collecting every broken rule
/// instead of stopping at the first, with field names as the client wrote
/// them (prefixed for array items: `updates[3].lat`).
struct FieldReader {
    let object: JSONValue
    let prefix: String
    private(set) var errors: [FieldError] = []

    init(_ object: JSONValue, prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    func name(_ key: String) -> String { prefix + key }

    mutating func fail(_ key: String, _ rule: String) {
        errors.append(FieldError(name(key), rule))
    }

    /// Adds an error read by another reader, named as that reader named it.
    mutating func fail(_ error: FieldError) {
        errors.append(error)
    }

    /// A finite number within `range`; nil (and an error) when missing and required.
    mutating func number(_ key: String, in range: ClosedRange<Double>? = nil, required: Bool = false, rule: String? = nil) -> Double? {
        guard let value = object[key], value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        guard case .number(let number) = value else {
            fail(key, "must be a number, got \(value.kind)")
            return nil
        }
        guard number.isFinite else {
            fail(key, "must be a finite number")
            return nil
        }
        if let range, !range.contains(number) {
            fail(key, rule ?? "must be between \(Self.bound(range.lowerBound)) and \(Self.bound(range.upperBound))")
            return nil
        }
        return number
    }

    /// A range's bound as people write it: `-90`, not Double's `-90.0`, so a
    /// body's rule reads as the same rule in a query does.
    private static func bound(_ value: Double) -> String {
        value.rounded() == value && value.magnitude < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A string of at most `maximumLength` characters (Unicode scalars, as
    /// JSON Schema's `maxLength` counts them), without control characters.
    mutating func string(_ key: String, maximumLength: Int) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let string) = value else {
            fail(key, "must be a string, got \(value.kind)")
            return nil
        }
        guard string.unicodeScalars.count <= maximumLength else {
            fail(key, "must be at most \(maximumLength) characters")
            return nil
        }
        guard !string.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            fail(key, "must not contain control characters")
            return nil
        }
        return string
    }

    /// An RFC 3339 timestamp.
    mutating func timestamp(_ key: String) -> Date? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let text) = value, let date = RFC3339.parse(text) else {
            fail(key, "must be an RFC 3339 timestamp such as 2026-04-01T12:00:00Z")
            return nil
        }
        return date
    }
}
