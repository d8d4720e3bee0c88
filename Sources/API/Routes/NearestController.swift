import Auth
import GeoCore
import Hummingbird
import Routing

/// OSRM's nearest service, `GET /nearest/v1/{profile}/{lng},{lat}?number=N`:
/// where the point meets the `number` nearest roads (edges), nearest first,
/// each with `nodes`, the `road_network` vertex ids of its edge's ends.
struct NearestController: Sendable {
    let service: RouteService
    let policy: AccessPolicy

    func addRoutes(to router: Router<WaylineContext>) {
        router.get("nearest/v1/:profile/:coordinates") { request, context in
            try context.identity.require(policy.routes(context.identity), field: "authorization")
            let settings = service.settings
            let profile = context.parameters.get("profile") ?? ""
            try settings.checkProfile(profile)
            let point = try OSRMCoordinates.parse(context.parameters.get("coordinates") ?? "", count: 1...1)[0]
            let options = QueryParameters(request.uri.string).firstValues
            if let unknown = options.keys.sorted().first(where: { !["number", "generate_hints", "bearings", "radiuses", "approaches"].contains($0) }) {
                throw OSRMError.invalidQuery("unknown option '\(unknown)'", field: unknown)
            }
            let raw = options["number"] ?? "1"
            guard raw.utf8.allSatisfy({ (48...57).contains($0) }), let number = Int(raw), (1...settings.maximumNearest).contains(number) else {
                throw OSRMError.invalidOptions("number must be a whole number from 1 to \(settings.maximumNearest)", field: "number")
            }
            let rule = try OSRMEndRules.parse(count: 1) { options[$0] }[0]
            let router = try await OSRMError.mapping { try service.router() }
            let found = router.nearest(point, count: number, rule: rule, maximumSnapMeters: settings.maximumSnapMeters)
            guard !found.isEmpty else {
                throw OSRMError(.noSegment(index: 0, limitMeters: min(rule.radiusMeters ?? .infinity, settings.maximumSnapMeters)))
            }
            var json = JSONWriter(capacity: 64 + found.count * 128)
            json.beginObject()
            json.field("code", "Ok")
            json.beginArray("waypoints")
            for snap in found {
                let nodes = router.vertexIDs(of: snap.edge)
                OSRMWaypoint.write(&json, asked: point, snapped: snap.point, name: router.graph.edges[Int(snap.edge)].name, nodes: (nodes.source, nodes.target))
            }
            json.endArray()
            json.endObject()
            return Response.json(json.buffer)
        }
    }
}
