import GeoCore
import Routing

/// A leg's `steps` and `annotation` in OSRM's form, and its `summary`.
enum OSRMSteps {
    /// The `annotation` object with the arrays `names` asks for: one decimal
    /// for durations, weights and speeds, as OSRM writes them.
    static func write(_ annotation: RouteAnnotation, names: [String], into json: inout JSONWriter) {
        json.beginObject("annotation")
        for name in ["distance", "duration", "speed", "weight"] where names.contains(name) {
            let (key, values, decimals): (StaticString, [Double], Int) = switch name {
            case "distance": ("distance", annotation.distances, 3)
            case "duration": ("duration", annotation.durations, 1)
            case "speed": ("speed", annotation.speeds, 1)
            default: ("weight", annotation.durations, 1)
            }
            json.beginArray(key)
            for value in values { json.element(value, decimals: decimals) }
            json.endArray()
        }
        if names.contains("nodes"), let nodes = annotation.nodes {
            json.beginArray("nodes")
            for node in nodes { json.element(Int(node)) }
            json.endArray()
        }
        json.endObject()
    }

    static func write(_ steps: [RouteStep], geometries: RouteQuery.Geometries, into json: inout JSONWriter) throws {
        json.beginArray("steps")
        for step in steps {
            json.beginObject()
            json.field("geometry", json: try RouteLeg.encoded(step.coordinates, geometries))
            json.beginObject("maneuver")
            json.field("bearing_after", step.bearingAfter)
            json.field("bearing_before", step.bearingBefore)
            json.beginArray("location")
            json.element(step.location.longitude, decimals: 7)
            json.element(step.location.latitude, decimals: 7)
            json.endArray()
            json.field("type", step.kind.rawValue)
            if let modifier = step.modifier { json.field("modifier", modifier) }
            json.endObject()
            json.field("mode", "driving")
            json.field("driving_side", "right")
            json.field("name", step.name)
            // One intersection, where the maneuver is: OSRM lists every one a
            // step passes; clients read the first for the maneuver's roads.
            json.beginArray("intersections")
            json.beginObject()
            json.beginArray("location")
            json.element(step.location.longitude, decimals: 7)
            json.element(step.location.latitude, decimals: 7)
            json.endArray()
            json.beginArray("bearings")
            json.element(step.kind == .arrive ? (step.bearingBefore + 180) % 360 : step.bearingAfter)
            json.endArray()
            json.beginArray("entry")
            json.element(true)
            json.endArray()
            json.field(step.kind == .arrive ? "in" : "out", 0)
            json.endObject()
            json.endArray()
            json.totals(duration: step.durationSeconds, distance: step.distanceMeters)
            json.endObject()
        }
        json.endArray()
    }

    /// The names of the leg's two longest named roads, in the order driven, as OSRM summarises a leg.
    static func summary(_ steps: [RouteStep]) -> String {
        var lengths: [String: Double] = [:]
        var order: [String] = []
        for step in steps where !step.name.isEmpty {
            if lengths[step.name] == nil { order.append(step.name) }
            lengths[step.name, default: 0] += step.distanceMeters
        }
        let longest = Set(order.sorted { lengths[$0]! > lengths[$1]! }.prefix(2))
        return order.filter(longest.contains).joined(separator: ", ")
    }
}
