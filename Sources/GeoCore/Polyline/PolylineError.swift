/// Why a polyline cannot be encoded or decoded. Offsets count UTF-8 bytes from 0.
public enum PolylineError: Error, Equatable, Sendable, CustomStringConvertible {
    case unsupportedPrecision(Int)
    /// A byte outside '?' (63) … '~' (126).
    case invalidCharacter(offset: Int)
    /// The string ends inside a value (its last chunk has the continuation bit).
    case truncated
    /// The string ends after a latitude with no longitude.
    case oddNumberOfValues
    /// A value longer than 64 bits.
    case valueTooLarge(offset: Int)
    case tooManyPoints(maximum: Int)
    /// A decoded point lies outside latitude [-90, 90] or longitude [-180, 180].
    case coordinateOutOfRange(pointIndex: Int)

    public var description: String {
        switch self {
        case .unsupportedPrecision(let precision): "precision must be between 1 and 7, got \(precision)"
        case .invalidCharacter(let offset): "invalid character at offset \(offset): polylines use only '?' to '~'"
        case .truncated: "the polyline ends in the middle of a value"
        case .oddNumberOfValues: "the polyline ends after a latitude without its longitude"
        case .valueTooLarge(let offset): "the value ending at offset \(offset) is larger than 64 bits"
        case .tooManyPoints(let maximum): "the polyline has more than \(maximum) points"
        case .coordinateOutOfRange(let index): "point \(index) is outside the valid latitude/longitude range"
        }
    }
}
