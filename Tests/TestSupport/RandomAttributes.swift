public import GeoCore

/// Random driver attributes from a small vocabulary, and random filters on
/// them, so that filters often pass and often fail: strings, whole and
/// fractional numbers, booleans, numbers sent as strings ("4"), and fields
/// left out.
public enum RandomAttributes {
    static let statuses = ["available", "busy", "offline"]
    static let classes = ["xl", "suv", "sedan", "moto"]

    public static func attributes(using generator: inout SeededGenerator) -> Attributes {
        var fields: [Attributes.Field] = []
        func maybe(_ share: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < share }
        if maybe(0.9) { fields.append(.init(name: "status", value: .string(statuses.randomElement(using: &generator)!))) }
        if maybe(0.8) { fields.append(.init(name: "vehicle_class", value: .string(classes.randomElement(using: &generator)!))) }
        if maybe(0.8) {
            let seats = Double(Int.random(in: 1...8, using: &generator))
            fields.append(.init(name: "seats", value: maybe(0.1) ? .string(String(Int(seats))) : .number(seats)))
        }
        if maybe(0.5) { fields.append(.init(name: "rating", value: .number((Double.random(in: 3...5, using: &generator) * 100).rounded() / 100))) }
        if maybe(0.5) { fields.append(.init(name: "electric", value: .bool(maybe(0.5)))) }
        return Attributes(fields)
    }

    /// One to three conditions.
    public static func filter(using generator: inout SeededGenerator) -> AttributeFilter {
        func operand(_ text: String) -> AttributeFilter.Operand { AttributeFilter.Operand(text: text, number: Double(text)) }
        let conditions: [AttributeFilter.Condition] = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: .equals(name: "status", anyOf: [operand(statuses.randomElement(using: &generator)!)])
            case 1: .equals(name: "vehicle_class", anyOf: classes.shuffled(using: &generator).prefix(2).map(operand))
            case 2: .equals(name: "seats", anyOf: [operand(String(Int.random(in: 1...8, using: &generator)))])
            case 3:
                .compares(name: "seats", AttributeFilter.Comparison.allCases.randomElement(using: &generator)!, Double(Int.random(in: 1...8, using: &generator)))
            case 4: .compares(name: "rating", .greaterOrEqual, (Double.random(in: 3...5, using: &generator) * 100).rounded() / 100)
            default: .equals(name: "electric", anyOf: [operand(Bool.random(using: &generator) ? "true" : "false")])
            }
        }
        return AttributeFilter(conditions)
    }
}
