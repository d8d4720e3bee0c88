public import Foundation
public import GeoCore

/// A route as the `routes` table keeps it.
public struct StoredRoute: Sendable {
    public let id: UUID
    public let profile: String
    public let origin: Coordinate
    public let destination: Coordinate
    public let path: [Coordinate]
    /// `path` as a polyline of precision 5.
    public let encodedPolyline: String
    public let distanceMeters: Double
    /// Travel time with the traffic multiplier applied.
    public let durationSeconds: Double
    public let trafficMultiplier: Double
    public let createdAt: Date
    public let expiresAt: Date

    public init(
        id: UUID, profile: String, origin: Coordinate, destination: Coordinate, path: [Coordinate], encodedPolyline: String, distanceMeters: Double,
        durationSeconds: Double, trafficMultiplier: Double, createdAt: Date, expiresAt: Date
    ) {
        self.id = id
        self.profile = profile
        self.origin = origin
        self.destination = destination
        self.path = path
        self.encodedPolyline = encodedPolyline
        self.distanceMeters = distanceMeters
        self.durationSeconds = durationSeconds
        self.trafficMultiplier = trafficMultiplier
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
