public import GeoCore
public import Storage
import Synchronization

/// A leg as the route cache keeps it: the stored route, and the renderings
/// the HTTP layer has made of it, each kept once made so that a hit asking
/// for the same form costs no encoding, simplification or formatting.
public final class RouteLeg: Sendable {
    public let stored: StoredRoute
    private let renderings = Mutex<[Int: String]>([:])

    public init(_ stored: StoredRoute) {
        self.stored = stored
    }

    /// The rendering numbered `form` (the renderer numbers its forms: an
    /// integer hashes in a few instructions, every request asks), made by
    /// `make` the first time it is asked for.
    public func rendering(_ form: Int, make: () throws -> String) rethrows -> String {
        if let made = renderings.withLock({ $0[form] }) { return made }
        let text = try make()
        renderings.withLock { $0[form] = text }
        return text
    }
}

/// What a leg's answer adds when asked: its steps and its annotation.
public struct LegDetails: Sendable {
    public let steps: [RouteStep]?
    public let annotation: RouteAnnotation?
}
