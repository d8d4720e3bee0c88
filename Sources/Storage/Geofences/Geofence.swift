public import Foundation
public import GeoCore
public import Geometry

/// A geofence as a tenant defines it: where, which crossings it reports,
/// which locations it watches, and where its events are pushed.
public struct Geofence: Sendable, Equatable {
    /// What a fence reports: a location coming in, going out, or written again while inside.
    public enum Detect: String, Sendable, CaseIterable, Codable, Comparable {
        case enter, exit, inside

        public static func < (a: Detect, b: Detect) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Where events are POSTed, signed with `secret` (HMAC-SHA256).
    public struct Webhook: Sendable, Equatable {
        public let url: String
        public let secret: String

        public init(url: String, secret: String) {
            self.url = url
            self.secret = secret
        }
    }

    public var tenant: String
    public var id: String
    public var area: FenceArea
    public var detect: Set<Detect>
    /// The location type the fence watches; nil watches every type.
    public var locationType: LocationType?
    /// Attribute conditions a location must pass to count as inside; nil for none.
    public var filter: AttributeFilter?
    public var webhook: Webhook?

    public init(
        tenant: String, id: String, area: FenceArea, detect: Set<Detect>, locationType: LocationType?,
        filter: AttributeFilter?, webhook: Webhook?
    ) {
        self.tenant = tenant
        self.id = id
        self.area = area
        self.detect = detect
        self.locationType = locationType
        self.filter = filter
        self.webhook = webhook
    }

    /// Whether a location of this type with these attributes counts for the fence (its area aside).
    public func watches(_ type: LocationType, attributes: Attributes) -> Bool {
        (locationType == nil || locationType == type) && (filter?.matches(attributes) ?? true)
    }
}

/// A fence as stored: its number inside Wayline and its times.
public struct StoredGeofence: Sendable, Equatable {
    public let key: Int64
    public let fence: Geofence
    public let createdAt: Date
    public let updatedAt: Date
}
