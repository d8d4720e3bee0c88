import Auth
import GeoCore
import Hummingbird
import Routing

/// `GET /match/v1/{profile}/{coordinates}`, OSRM's match service: a GPS
/// trace snapped to the roads (`TraceMatcher`), each matched stretch
/// answered as a route through its points.
struct MatchController: Sendable {
    let routes: RouteController

    func addRoutes(to router: Router<WaylineContext>) {
        routes.addService("match", to: router, match)
    }

    func match(_ request: Request, identity: Identity, profile: String, coordinates: String) async throws -> MatchResponse {
        let service = routes.service
        let query = try routes.query(request, identity: identity, profile: profile, coordinates: coordinates, service: .match)
        let options = query.match!
        return try await OSRMError.mapping {
            let router = try service.router()
            let trace = query.points.indices.map { index in
                TraceMatcher.Observation(
                    coordinate: query.points[index], timestamp: options.timestamps?[index], accuracyMeters: query.rules[index].radiusMeters,
                    bearing: query.rules[index].bearing
                )
            }
            let kept = options.tidy ? TraceMatcher.tidied(trace) : Array(trace.indices)
            var parameters = TraceMatcher.Parameters()
            parameters.splitsAtGaps = options.splitsAtGaps
            let found = TraceMatcher(router: router, parameters: parameters).match(kept.map { trace[$0] })
            guard !found.isEmpty else {
                throw OSRMError(status: .badRequest, code: "NoMatch", message: "the trace could not be matched to the road network", field: "coordinates")
            }
            var matchings: [MatchResponse.Matching] = []
            for matching in found {
                let legs = try service.legs(from: matching.departures.dropLast(), to: matching.arrivals.dropFirst(), profile: query.profile, router: router)
                matchings.append(MatchResponse.Matching(
                    points: matching.points.map { kept[$0] }, ends: matching.arrivals, alternatives: matching.alternatives, confidence: matching.confidence,
                    legs: legs.map(\.leg), routeMembers: try routes.members(legs, query, rules: Array(repeating: .none, count: matching.points.count))
                ))
            }
            return MatchResponse(query: query, matchings: matchings)
        }
    }
}
