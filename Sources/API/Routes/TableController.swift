import Auth
import Foundation
import GeoCore
import Hummingbird
import Routing

/// OSRM's table service, `GET /table/v1/{profile}/{coordinates}`, and
/// Wayline's own `POST /table/v1/{profile}` for larger tables (the same
/// options in a JSON body). Tables are not cached: a table is rarely asked
/// twice with the same points, and it is computed from a few hundred
/// settled vertices per point, not from routes that a cache could share.
struct TableController: Sendable {
    let service: RouteService
    let policy: AccessPolicy

    func addRoutes(to router: Router<WaylineContext>) {
        router.get("table/v1/:profile/:coordinates") { request, context in
            try context.identity.require(policy.routes(context.identity), field: "authorization")
            let coordinates = try OSRMCoordinates.parse(context.parameters.get("coordinates") ?? "", count: 1...service.settings.maximumTableCoordinates)
            return try await table(TableQuery(
                profile: context.parameters.get("profile") ?? "", coordinates: coordinates,
                options: QueryParameters(request.uri.string).firstValues, settings: service.settings
            ))
        }
        router.post("table/v1/:profile") { request, context in
            try context.identity.require(policy.routes(context.identity), field: "authorization")
            let body = try await request.collectBody(upTo: 1 << 20)
            let (coordinates, options) = try TableBody.parse(Array(body.readableBytesView), maximum: service.settings.maximumPostTableCoordinates)
            return try await table(TableQuery(profile: context.parameters.get("profile") ?? "", coordinates: coordinates, options: options, settings: service.settings))
        }
    }

    private func table(_ query: TableQuery) async throws -> TableResponse {
        try await OSRMError.mapping {
            let router = try service.router()
            let ends = try service.ends(query.coordinates, at: (query.sources + query.destinations).sorted(), rules: query.rules)
            let table = service.table(from: query.sources.map { ends[$0]! }, to: query.destinations.map { ends[$0]! }, router: router)
            return TableResponse(query: query, table: table, ends: ends, durationFactor: query.scaleFactor * service.settings.trafficMultiplier)
        }
    }
}
