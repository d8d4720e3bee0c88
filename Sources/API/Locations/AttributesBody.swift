import GeoCore

/// Reads driver attributes out of JSON: the `attributes` object of a
/// position write, and the body of `PATCH …/attributes`.
enum AttributesBody {
    /// A write's attributes: a flat object of at most 16 strings, numbers and booleans.
    /// - Parameter field: how errors name the object (`attributes`, `updates[3].attributes`).
    static func parse(_ value: JSONValue, field: String) throws(FieldErrors) -> Attributes {
        try fields(of: value, field: field, nullRemoves: false).0
    }

    /// A patch (RFC 7396): members to set, and the names given as null, to remove.
    static func parsePatch(_ value: JSONValue) throws(FieldErrors) -> (set: Attributes, remove: [String]) {
        try fields(of: value, field: "body", nullRemoves: true)
    }

    private static func fields(of value: JSONValue, field: String, nullRemoves: Bool) throws(FieldErrors) -> (Attributes, [String]) {
        guard case .object(let members) = value else { throw FieldErrors([FieldError(field, "must be a JSON object, got \(value.kind)")]) }
        // Members' errors are named after the member; a patch's body names them bare.
        func name(_ member: String) -> String { field == "body" ? member : "\(field).\(member)" }
        var errors: [FieldError] = []
        var set: [Attributes.Field] = []
        var removed: [String] = []
        // A repeated name counts once, with its last value (as `JSONValue`'s subscript reads it).
        let last = Dictionary(members.enumerated().map { ($0.element.key, $0.offset) }, uniquingKeysWith: max)
        for (offset, (key, member)) in members.enumerated() where last[key] == offset {
            guard Attributes.isValidName(key) else {
                errors.append(FieldError(field, "names must be 1 to \(Attributes.maximumNameBytes) ASCII letters, digits, '_', '-' or '.'"))
                continue
            }
            switch member {
            case .string(let text):
                if text.utf8.count > Attributes.maximumStringBytes {
                    errors.append(FieldError(name(key), "must be at most \(Attributes.maximumStringBytes) bytes of UTF-8"))
                } else if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    errors.append(FieldError(name(key), "must not contain control characters"))
                } else {
                    set.append(Attributes.Field(name: key, value: .string(text)))
                }
            case .number(let number):
                if number.isFinite {
                    set.append(Attributes.Field(name: key, value: .number(number)))
                } else {
                    errors.append(FieldError(name(key), "must be a finite number"))
                }
            case .bool(let flag):
                set.append(Attributes.Field(name: key, value: .bool(flag)))
            case .null where nullRemoves:
                removed.append(key)
            default:
                errors.append(FieldError(name(key), "must be a string, a number or a boolean\(nullRemoves ? " (or null to remove it)" : ""), got \(member.kind)"))
            }
        }
        if set.count > Attributes.maximumFields {
            errors.append(FieldError(field, "must hold at most \(Attributes.maximumFields) attributes, got \(set.count)"))
        }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        return (Attributes(set), removed)
    }
}
