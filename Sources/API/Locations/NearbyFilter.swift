import GeoCore

/// Nearby's attribute filter from its query: `where=name:value` (equality),
/// `where=name:>=4` (a comparison, with `>`, `>=`, `<`, `<=`, on numbers)
/// and `wherein=name:a,b,c` (equal to any), each repeatable, all combined
/// with AND. A name ends at the first `:`; names never hold `:` or `,`.
enum NearbyFilter {
    static var maximumConditions: Int { 16 }
    static var maximumValuesPerCondition: Int { 64 }

    static func parse(where equalities: [String], wherein memberships: [String]) throws(FieldErrors) -> AttributeFilter? {
        var errors: [FieldError] = []
        var conditions: [AttributeFilter.Condition] = []
        for text in equalities {
            guard let (name, value) = split(text, field: "where", into: &errors) else { continue }
            if let comparison = AttributeFilter.Comparison.allCases.first(where: { value.hasPrefix($0.rawValue) }) {
                guard let bound = DecimalNumber.parse(value.dropFirst(comparison.rawValue.count)), bound.isFinite else {
                    errors.append(FieldError("where", "\(comparison.rawValue) compares with a number: name:\(comparison.rawValue)4"))
                    continue
                }
                conditions.append(.compares(name: name, comparison, bound))
            } else {
                conditions.append(.equals(name: name, anyOf: [operand(value)]))
            }
        }
        for text in memberships {
            guard let (name, list) = split(text, field: "wherein", into: &errors) else { continue }
            let values = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard values.count <= maximumValuesPerCondition else {
                errors.append(FieldError("wherein", "must list at most \(maximumValuesPerCondition) values a name"))
                continue
            }
            conditions.append(.equals(name: name, anyOf: values.map(operand)))
        }
        if conditions.count > maximumConditions {
            errors.append(FieldError("where", "where and wherein may give at most \(maximumConditions) conditions together"))
        }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        return conditions.isEmpty ? nil : AttributeFilter(conditions)
    }

    /// `name:rest`, with the name checked.
    private static func split(_ text: String, field: String, into errors: inout [FieldError]) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":") else {
            errors.append(FieldError(field, "must be name:value, such as status:available"))
            return nil
        }
        let name = String(text[..<colon])
        guard Attributes.isValidName(name) else {
            errors.append(FieldError(field, "names must be 1 to \(Attributes.maximumNameBytes) ASCII letters, digits, '_', '-' or '.'"))
            return nil
        }
        return (name, String(text[text.index(after: colon)...]))
    }

    private static func operand(_ text: String) -> AttributeFilter.Operand {
        AttributeFilter.Operand(text: text, number: DecimalNumber.parse(text).flatMap { $0.isFinite ? $0 : nil })
    }
}
