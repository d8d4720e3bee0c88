import Foundation
import GeoCore
import Hummingbird
import Storage

/// A fence as the API shows it: as it was defined, its webhook's URL but
/// never its secret.
struct GeofenceResponse: ResponseGenerator {
    let fence: StoredGeofence
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 1_024)
        Self.write(fence, into: &json)
        return .json(json.buffer, status: status)
    }

    static func write(_ stored: StoredGeofence, into json: inout JSONWriter) {
        let fence = stored.fence
        json.beginObject()
        json.field("id", fence.id)
        switch fence.area {
        case .polygons(let polygons):
            json.beginObject("geometry")
            json.field("type", polygons.count == 1 ? "Polygon" : "MultiPolygon")
            json.beginArray("coordinates")
            for polygon in polygons {
                if polygons.count > 1 { json.beginArray() }
                for ring in polygon {
                    json.beginArray()
                    for point in ring {
                        json.beginArray()
                        json.element(point.longitude)
                        json.element(point.latitude)
                        json.endArray()
                    }
                    json.endArray()
                }
                if polygons.count > 1 { json.endArray() }
            }
            json.endArray()
            json.endObject()
        case .circle(let center, let radius):
            json.beginObject("circle")
            json.field("lat", center.latitude)
            json.field("lng", center.longitude)
            json.field("radius_m", radius)
            json.endObject()
        }
        json.field("detect", fence.detect.sorted().map(\.rawValue))
        if let type = fence.locationType { json.field("location_type", type.rawValue) }
        let (equalities, memberships) = conditions(fence.filter)
        if !equalities.isEmpty { json.field("where", equalities) }
        if !memberships.isEmpty { json.field("wherein", memberships) }
        if let webhook = fence.webhook {
            json.beginObject("webhook")
            json.field("url", webhook.url)
            json.endObject()
        }
        json.field("created_at", ascii: RFC3339.length) { RFC3339.write(stored.createdAt, into: $0) }
        json.field("updated_at", ascii: RFC3339.length) { RFC3339.write(stored.updatedAt, into: $0) }
        json.endObject()
    }

    /// The filter as `where` and `wherein` texts that parse back to it.
    private static func conditions(_ filter: AttributeFilter?) -> (where: [String], wherein: [String]) {
        var equalities: [String] = [], memberships: [String] = []
        for condition in filter?.conditions ?? [] {
            switch condition {
            case .equals(let name, let operands) where operands.count == 1: equalities.append("\(name):\(operands[0].text)")
            case .equals(let name, let operands): memberships.append("\(name):" + operands.map(\.text).joined(separator: ","))
            case .compares(let name, let comparison, let bound):
                equalities.append("\(name):\(comparison.rawValue)\(bound.rounded() == bound && bound.magnitude < 1e15 ? String(Int64(bound)) : String(bound))")
            }
        }
        return (equalities, memberships)
    }
}

struct GeofenceListResponse: ResponseGenerator {
    let fences: [StoredGeofence]
    /// The id to ask for the next page after, when there may be one.
    let next: String?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter(capacity: 256 + fences.count * 512)
        json.beginObject()
        json.beginArray("geofences")
        for fence in fences { GeofenceResponse.write(fence, into: &json) }
        json.endArray()
        if let next { json.field("next_after", next) }
        json.endObject()
        return .json(json.buffer)
    }
}
