import Auth
import Foundation
import GeoCore
import Geometry
import Hummingbird
import NIOCore
import Routing
import Storage

/// `/v1/locations` and `/v1/nearby`.
struct LocationController: Sendable {
    let repository: LocationRepository
    let writer: LocationWriter
    let index: LiveDriverIndex
    /// `nearbyFromPostGIS` sends nearby past the index.
    let flags: FeatureFlags
    /// Ranks nearby drivers by road time (`rank=eta`), a few at a time.
    let routes: RouteService
    /// Where the nearest-first ranking runs, a few at a time (the search among placed drivers runs in place).
    private let rankings = ComputeSlots()
    let settings: LocationSettings
    let policy: AccessPolicy
    let audit: AuditLog
    private let geodesic = WGS84Geodesic()

    init(repository: LocationRepository, writer: LocationWriter, index: LiveDriverIndex, flags: FeatureFlags, routes: RouteService,
         settings: LocationSettings, policy: AccessPolicy, audit: AuditLog) {
        self.repository = repository
        self.writer = writer
        self.index = index
        self.flags = flags
        self.routes = routes
        self.settings = settings
        self.policy = policy
        self.audit = audit
    }

    func addRoutes(to router: Router<WaylineContext>) {
        router.put("v1/locations/:user_id/:type") { request, context in try await self.put(request, context) }
        router.post("v1/locations/batch") { request, context in try await self.batch(request, context) }
        router.get("v1/locations/:user_id") { request, context in try await self.list(request, context) }
        router.get("v1/locations/:user_id/:type") { request, context in try await self.get(request, context) }
        router.patch("v1/locations/:user_id/:type/attributes") { request, context in try await self.changeAttributes(request, context) }
        router.delete("v1/locations/:user_id") { _, context in try await self.delete(context, typed: false) }
        router.delete("v1/locations/:user_id/:type") { _, context in try await self.delete(context, typed: true) }
        router.get("v1/nearby") { request, context in try await self.nearby(request, context) }
    }

    /// The path's user, once the token may reach that user's data: 401 or 403
    /// before anything else about the request is looked at.
    private func owner(_ context: WaylineContext) throws(APIError) -> UUID {
        let userID = try validated { () throws(FieldErrors) in try LocationBody.userID(context.parameters.get("user_id"), field: "user_id") }
        try context.identity.require(policy.user(context.identity, owner: userID), field: "user_id")
        return userID
    }

    private func put(_ request: Request, _ context: WaylineContext) async throws -> LocationResponse {
        let userID = try owner(context)
        let body = try await json(request)
        let update: LocationUpdate
        do throws(FieldErrors) {
            let type = try LocationBody.type(context.parameters.get("type"), field: "type")
            update = try LocationBody.parse(body, userID: userID, type: type)
        } catch {
            throw APIError.invalid(error.errors)
        }
        guard let stored = try await writer.write([update]).first else { throw APIError(.internalServerError, code: "internal", message: "internal error") }
        return LocationResponse(location: stored)
    }

    private func batch(_ request: Request, _ context: WaylineContext) async throws -> LocationListResponse {
        try context.identity.require(policy.batch(context.identity), field: "authorization")
        let body = try await json(request)
        guard case .array(let items)? = body["updates"] else {
            throw APIError.invalid([FieldError("updates", "must be an array of location updates")])
        }
        guard !items.isEmpty, items.count <= settings.maximumBatchItems else {
            throw APIError.invalid([FieldError("updates", "must hold between 1 and \(settings.maximumBatchItems) items")])
        }
        // All or nothing: every item is validated before anything is written.
        var updates: [LocationUpdate] = []
        var errors: [FieldError] = []
        for (position, item) in items.enumerated() {
            let prefix = "updates[\(position)]."
            guard case .object = item else {
                errors.append(FieldError("updates[\(position)]", "must be a JSON object"))
                continue
            }
            var userID: UUID?
            var type: LocationType?
            do { userID = try LocationBody.userID(stringField(item["user_id"]), field: prefix + "user_id") } catch { errors += error.errors }
            do { type = try LocationBody.type(stringField(item["type"]), field: prefix + "type") } catch { errors += error.errors }
            do {
                // Placeholders only to collect this item's other errors; an item
                // with a bad id or type is never written.
                let update = try LocationBody.parse(item, userID: userID ?? UUID(), type: type ?? .current, prefix: prefix)
                if userID != nil, type != nil { updates.append(update) }
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw APIError.invalid(errors) }
        // A user's token writes that user's positions only: every item that
        // names another user is listed, and nothing is stored.
        let foreign = updates.enumerated().filter { policy.user(context.identity, owner: $0.element.userID) != .allowed }
        guard foreign.isEmpty else {
            throw APIError.forbidden(
                "a user token may only write its own user's locations", field: "updates[\(foreign[0].offset)].user_id",
                details: foreign.map { FieldError("updates[\($0.offset)].user_id", "must be the token's user") }
            )
        }
        return LocationListResponse(locations: try await writer.write(updates))
    }

    private func list(_ request: Request, _ context: WaylineContext) async throws -> LocationListResponse {
        let userID = try owner(context)
        let locations = try await repository.find(userID: userID, as: context.identity.reader)
        try await audit.privateRead(locations.map(\.update.type), of: userID, by: context.identity, request: request)
        return LocationListResponse(locations: locations)
    }

    private func get(_ request: Request, _ context: WaylineContext) async throws -> LocationResponse {
        let userID = try owner(context)
        let type = try validated { () throws(FieldErrors) in try LocationBody.type(context.parameters.get("type"), field: "type") }
        guard let location = try await repository.find(userID: userID, type: type, as: context.identity.reader) else {
            throw APIError(.notFound, code: "not_found", message: "no \(type.rawValue) location for this user")
        }
        try await audit.privateRead([type], of: userID, by: context.identity, request: request)
        return LocationResponse(location: location)
    }

    /// `PATCH …/attributes`: a JSON merge patch of the attributes, without a new position.
    private func changeAttributes(_ request: Request, _ context: WaylineContext) async throws -> LocationResponse {
        let userID = try owner(context)
        let type = try validated { () throws(FieldErrors) in try LocationBody.type(context.parameters.get("type"), field: "type") }
        let body = try await json(request)
        let patch = try validated { () throws(FieldErrors) in try AttributesBody.parsePatch(body) }
        switch try await repository.changeAttributes(userID: userID, type: type, set: patch.set, remove: patch.remove) {
        case .changed(let stored):
            index.apply([stored])
            return LocationResponse(location: stored)
        case .noSuchLocation:
            throw APIError(.notFound, code: "not_found", message: "no \(type.rawValue) location for this user")
        case .tooManyFields(let count):
            throw APIError.invalid([FieldError("body", "would leave \(count) attributes; at most \(Attributes.maximumFields)")])
        }
    }

    private func delete(_ context: WaylineContext, typed: Bool) async throws -> Response {
        let userID = try owner(context)
        let type = try validated { () throws(FieldErrors) in typed ? try LocationBody.type(context.parameters.get("type"), field: "type") : nil }
        let deleted = try await repository.delete(userID: userID, type: type)
        if type == .current || type == nil { index.remove(userID, deletedAt: Date()) }
        guard deleted > 0 else { throw APIError(.notFound, code: "not_found", message: "no such location") }
        return Response(status: .noContent)
    }

    private func nearby(_ request: Request, _ context: WaylineContext) async throws -> NearbyResponse {
        try context.identity.require(policy.nearby(context.identity), field: "authorization")
        let query = try validated { () throws(FieldErrors) in try NearbyQuery(QueryParameters(request.uri.string), settings: settings) }
        guard query.rank == .eta else { return try await nearest(query, limit: query.limit) }
        let bound = settings.maximumRoadTimeCandidates
        // The ranking asks for drivers nearest first, as many as it needs: from
        // the live index as it goes; from PostGIS (before the index has
        // loaded) once, as many as the bound allows.
        let prefetched = answersFromIndex(query) ? nil : try await nearest(query, limit: bound + 1)
        let ranking: RoadTimeRanking.Answer
        do {
            if prefetched == nil, let searched = try RoadTimeRanking.bySearch(
                to: query.center, candidateBound: bound, service: routes, placed: { placedSoonest(query, to: $0, on: $1) }
            ) {
                ranking = searched
            } else {
                // The nearest-first ranking's work grows with the drivers near the pickup: it waits for a slot.
                ranking = try await rankings.run {
                    try RoadTimeRanking.rank(
                        to: query.center, radiusMeters: query.radiusMeters, limit: query.limit, candidateBound: bound,
                        driverSnapMeters: settings.maximumDriverSnapMeters, service: routes
                    ) { reach, count in
                        prefetched.map { Array($0.results.lazy.filter { $0.distanceMeters <= reach }.prefix(count)) }
                            ?? indexNearest(query, radiusMeters: reach, limit: count)
                    }
                }
            }
        } catch RouteFailure.noNetwork {
            throw APIError(.serviceUnavailable, code: "no_road_network", message: "no road network is imported yet (wayline import-osm)")
        } catch is RouteFailure {
            throw APIError(.badRequest, code: "pickup_off_road", message: "no road within \(Int(routes.settings.maximumSnapMeters)) m of lat, lng", field: "lat")
        } catch is RoadTimeRanking.TooManyCandidates {
            throw APIError(
                .badRequest, code: "too_many_candidates",
                message: "more than \(bound) drivers within radius_m would have to be ranked; ask for a smaller radius", field: "radius_m"
            )
        } catch is ComputeSlots.Busy {
            throw ErrorMiddleware<WaylineContext>.unavailable("overloaded", "too many nearby-by-road-time queries are waiting; retry later")
        }
        var answer = prefetched ?? indexResponse(query, [])
        answer.results = ranking.ranked.map(\.driver)
        answer.byRoad = NearbyResponse.ByRoad(ranking)
        return answer
    }

    /// The search among the drivers placed on the road network (nil: rank another way).
    private func placedSoonest(_ query: NearbyQuery, to destination: RoadEnd, on router: RoadRouter) -> PlacedDrivers.Ranking? {
        index.placed?.soonest(
            to: destination, on: router, center: query.center, radiusMeters: query.radiusMeters, limit: query.limit,
            updatedSince: query.maxAgeSeconds.map { Date().addingTimeInterval(-Double($0)) }, filter: query.filter,
            maximumSettled: settings.maximumRoadTimeVertices
        ) {
            geodesic.distanceMeters(from: $0, to: $1)
        }
    }

    /// Whether the live index answers `query` (else PostGIS does).
    private func answersFromIndex(_ query: NearbyQuery) -> Bool {
        query.type == .current && index.isReady && !flags.isOn(.nearbyFromPostGIS)
    }

    /// The `limit` nearest of the query's drivers within `radiusMeters` (the query's radius unless given).
    private func indexNearest(_ query: NearbyQuery, radiusMeters: Double? = nil, limit: Int) -> [NearbyPoint] {
        index.nearest(
            to: query.center, radiusMeters: radiusMeters ?? query.radiusMeters, limit: limit,
            updatedSince: query.maxAgeSeconds.map { Date().addingTimeInterval(-Double($0)) }, filter: query.filter
        ) {
            geodesic.distanceMeters(from: $0, to: $1)
        }
    }

    private func indexResponse(_ query: NearbyQuery, _ results: [NearbyPoint]) -> NearbyResponse {
        NearbyResponse(results: results, type: query.type, source: "index", staleSince: index.mayBeStale ? index.syncedAt : nil)
    }

    /// Up to `limit` nearest of the query's type within its radius, from the
    /// live index when it can answer, else from PostGIS.
    private func nearest(_ query: NearbyQuery, limit: Int) async throws -> NearbyResponse {
        if answersFromIndex(query) { return indexResponse(query, indexNearest(query, limit: limit)) }
        let found = try await repository.nearby(
            query.center, radiusMeters: query.radiusMeters, type: query.type, limit: limit, maxAgeSeconds: query.maxAgeSeconds,
            filter: query.filter
        )
        return NearbyResponse(results: found.map {
            NearbyPoint(id: PointID($0.location.userID), coordinate: $0.location.coordinate, distanceMeters: $0.distanceMeters,
                        updatedAt: $0.location.updatedAt.timeIntervalSince1970, headingDegrees: $0.location.headingDegrees,
                        attributes: $0.location.attributes ?? .empty)
        }, type: query.type, source: "postgis")
    }

    /// Reads the whole body (up to the limit, else 413) and parses it.
    private func json(_ request: Request) async throws -> JSONValue {
        try await request.json(upTo: settings.maximumBodyBytes)
    }

    private func stringField(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }
}
