import Foundation
import GeoCore
import Geometry

/// A fence's `definition` column: everything but its names and webhook, as
/// JSON every instance reads back to build its index. Written and read only
/// by this type, so its shape is free of the API's.
struct GeofenceDefinition: Codable {
    struct Area: Codable {
        /// Polygons as [[[longitude, latitude]]] per polygon; nil for a circle.
        var polygons: [[[[Double]]]]?
        var center: [Double]?
        var radiusMeters: Double?
    }

    struct Operand: Codable {
        var text: String
        var number: Double?
    }

    struct Condition: Codable {
        var name: String
        /// Equal to any of these, or
        var equals: [Operand]?
        /// compared (`>`, `>=`, `<`, `<=`) with this number.
        var comparison: String?
        var bound: Double?
    }

    var area: Area
    var detect: [Geofence.Detect]
    var locationType: LocationType?
    var conditions: [Condition]

    init(_ fence: Geofence) {
        switch fence.area {
        case .polygons(let polygons):
            area = Area(polygons: polygons.map { $0.map { $0.map { [$0.longitude, $0.latitude] } } })
        case .circle(let center, let radius):
            area = Area(center: [center.longitude, center.latitude], radiusMeters: radius)
        }
        detect = fence.detect.sorted()
        locationType = fence.locationType
        conditions = (fence.filter?.conditions ?? []).map { condition in
            switch condition {
            case .equals(let name, let operands): Condition(name: name, equals: operands.map { Operand(text: $0.text, number: $0.number) })
            case .compares(let name, let comparison, let bound): Condition(name: name, comparison: comparison.rawValue, bound: bound)
            }
        }
    }

    /// The JSON text stored.
    func encoded() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> GeofenceDefinition {
        try JSONDecoder().decode(GeofenceDefinition.self, from: Data(text.utf8))
    }

    /// The fence this definition describes, under the given names and webhook.
    func fence(tenant: String, id: String, webhook: Geofence.Webhook?) throws -> Geofence {
        let area: FenceArea
        if let polygons = self.area.polygons {
            area = .polygons(try polygons.map { try $0.map { try $0.map { try Coordinate(latitude: $0[1], longitude: $0[0]) } } })
        } else if let center = self.area.center, let radius = self.area.radiusMeters {
            area = .circle(center: try Coordinate(latitude: center[1], longitude: center[0]), radiusMeters: radius)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a fence's area is neither polygons nor a circle"))
        }
        let filter = try conditions.map { condition -> AttributeFilter.Condition in
            if let operands = condition.equals {
                return .equals(name: condition.name, anyOf: operands.map { AttributeFilter.Operand(text: $0.text, number: $0.number) })
            }
            guard let comparison = condition.comparison.flatMap(AttributeFilter.Comparison.init), let bound = condition.bound else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a fence's condition is incomplete"))
            }
            return .compares(name: condition.name, comparison, bound)
        }
        return Geofence(
            tenant: tenant, id: id, area: area, detect: Set(detect), locationType: locationType,
            filter: filter.isEmpty ? nil : AttributeFilter(filter), webhook: webhook
        )
    }
}
