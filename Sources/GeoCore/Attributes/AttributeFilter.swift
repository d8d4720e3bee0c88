/// Conditions on attributes, all of which a driver must pass (AND): what
/// nearby's `where` and `wherein` parameters ask for.
///
/// Equality compares with the stored value's own type: the text `4` equals
/// the number 4 and the string "4", and `true` equals the boolean true and
/// the string "true". Comparisons hold for numbers only. A driver without
/// the attribute passes no condition on it. PostgreSQL's
/// `location_attributes_match` applies the same rules to `locations.metadata`.
public struct AttributeFilter: Sendable, Equatable {
    /// Two-character operators first, so that reading the first case a filter's text starts with reads `>=` as itself.
    public enum Comparison: String, Sendable, CaseIterable {
        case greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<"
    }

    /// A value as a filter gives it: its text, and the number it reads as, if any.
    public struct Operand: Sendable, Equatable {
        public let text: String
        public let number: Double?

        public init(text: String, number: Double?) {
            self.text = text
            self.number = number
        }

        func equals(_ value: Attributes.Value) -> Bool {
            switch value {
            case .string(let string): string == text
            case .number(let stored): number == stored
            case .bool(let flag): text == (flag ? "true" : "false")
            }
        }
    }

    public enum Condition: Sendable, Equatable {
        /// Equal to any of the operands (one for `where`, several for `wherein`).
        case equals(name: String, anyOf: [Operand])
        case compares(name: String, Comparison, Double)

        public var name: String {
            switch self {
            case .equals(let name, _), .compares(let name, _, _): name
            }
        }

        func isMet(by attributes: Attributes) -> Bool {
            guard let value = attributes[name] else { return false }
            switch self {
            case .equals(_, let operands):
                return operands.contains { $0.equals(value) }
            case .compares(_, let comparison, let bound):
                guard case .number(let number) = value else { return false }
                switch comparison {
                case .greater: return number > bound
                case .greaterOrEqual: return number >= bound
                case .less: return number < bound
                case .lessOrEqual: return number <= bound
                }
            }
        }
    }

    public let conditions: [Condition]

    public init(_ conditions: [Condition]) {
        self.conditions = conditions
    }

    public var isEmpty: Bool { conditions.isEmpty }

    public func matches(_ attributes: Attributes) -> Bool {
        conditions.allSatisfy { $0.isMet(by: attributes) }
    }
}
