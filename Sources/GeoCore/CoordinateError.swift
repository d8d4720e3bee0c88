/// Why a pair of numbers is not a valid `Coordinate`.
public enum CoordinateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which half of the pair broke a rule.
    public enum Component: String, Sendable {
        case latitude
        case longitude
    }

    case notFinite(Component)
    case outOfRange(Component, Double)

    /// The component that failed, so an API can name the offending field.
    public var component: Component {
        switch self {
        case .notFinite(let component), .outOfRange(let component, _): component
        }
    }

    public var description: String {
        switch self {
        case .notFinite(let component):
            "\(component.rawValue) must be a finite number"
        case .outOfRange(.latitude, _):
            "latitude must be between -90 and 90"
        case .outOfRange(.longitude, _):
            "longitude must be between -180 and 180"
        }
    }
}
