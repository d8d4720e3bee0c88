import GeoCore

/// A nearby filter as `find_nearby_locations` takes it: an SQL/JSON path in
/// strict mode that holds when `AttributeFilter.matches` does, and its
/// values as variables (flattened as `AttributeColumns` flattens
/// attributes), so no value is ever spliced into the path's text.
///
/// Equality gives each operand as a string, and also as a number or a
/// boolean when its text reads as one: a comparison of different types is
/// unknown, hence false, so exactly the stored type that matches counts.
/// Numbers travel as their shortest round-trip text; PostgreSQL compares
/// them as decimals, which orders them as their Doubles are ordered.
struct AttributePath {
    private(set) var path = "strict $ ? ("
    private(set) var variables = AttributeColumns.Flattened()

    init(_ filter: AttributeFilter) {
        var conditions: [String] = []
        for condition in filter.conditions { conditions.append(self.condition(condition)) }
        path += conditions.joined(separator: " && ") + ")"
    }

    private mutating func condition(_ condition: AttributeFilter.Condition) -> String {
        // Names are ASCII letters, digits, `_`, `-` and `.` (`Attributes.isValidName`): quoted, they need no escape.
        let member = "@.\"\(condition.name)\""
        switch condition {
        case .equals(_, let operands):
            let alternatives = operands.flatMap { operand in
                var values: [Attributes.Value] = [.string(operand.text)]
                if let number = operand.number { values.append(.number(number)) }
                if operand.text == "true" || operand.text == "false" { values.append(.bool(operand.text == "true")) }
                return values.map { "\(member) == \(variable($0))" }
            }
            return "(" + alternatives.joined(separator: " || ") + ")"
        case .compares(_, let comparison, let bound):
            return "(\(member) \(comparison.rawValue) \(variable(.number(bound))))"
        }
    }

    private mutating func variable(_ value: Attributes.Value) -> String {
        let name = "v\(variables.names.count)"
        variables.append(Attributes.Field(name: name, value: value), row: 1)
        return "$" + name
    }
}
