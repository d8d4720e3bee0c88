import Foundation
import GeoCore
import Hummingbird
import Storage

/// The validated parameters of `GET /v1/nearby`.
struct NearbyQuery {
    /// How results are ordered: by straight-line distance, or by time on the roads (`eta`).
    enum Rank: String {
        case distance, eta
    }

    var center: Coordinate
    var radiusMeters: Double
    var limit: Int
    var type: LocationType
    var maxAgeSeconds: Int?
    var rank: Rank
    /// Conditions on attributes (`where`, `wherein`), nil for none.
    var filter: AttributeFilter?

    init(_ parameters: QueryParameters, settings: LocationSettings) throws(FieldErrors) {
        var errors: [FieldError] = []
        /// The number given for `key`; `fallback` when it is absent, and an
        /// error too when there is no fallback and it is `required`.
        func number(_ key: String, default fallback: Double? = nil, required: Bool = true) -> Double? {
            guard let read = parameters.value(key, DecimalNumber.parse) else {
                if fallback == nil, required { errors.append(FieldError(key, "is required")) }
                return fallback
            }
            guard let value = read else {
                errors.append(FieldError(key, "must be a number"))
                return nil
            }
            guard value.isFinite else {
                errors.append(FieldError(key, "must be a finite number"))
                return nil
            }
            return value
        }
        let latitude = number("lat")
        let longitude = number("lng")
        if let latitude, !(-90...90).contains(latitude) { errors.append(FieldError("lat", "must be between -90 and 90")) }
        if let longitude, !(-180...180).contains(longitude) { errors.append(FieldError("lng", "must be between -180 and 180")) }
        let radius = number("radius_m", default: 1_000)
        if let radius, !(radius > 0 && radius <= settings.maximumRadiusMeters) {
            errors.append(FieldError("radius_m", "must be greater than 0 and at most \(Int(settings.maximumRadiusMeters))"))
        }
        let limit = number("limit", default: 10)
        if let limit, !(limit >= 1 && limit <= Double(settings.maximumResults) && limit.rounded() == limit) {
            errors.append(FieldError("limit", "must be a whole number from 1 to \(settings.maximumResults)"))
        }
        let maxAge = number("max_age_s", required: false)
        if let age = maxAge, !(age >= 1 && age <= 31_536_000 && age.rounded() == age) {
            errors.append(FieldError("max_age_s", "must be a whole number of seconds from 1 to 31536000"))
        }
        var type = LocationType.current
        if let raw = parameters["type"] {
            do {
                type = try LocationBody.type(raw, field: "type")
            } catch {
                errors += error.errors
            }
        }
        let rank = parameters["rank"].map { Rank(rawValue: $0) } ?? .distance
        if rank == nil { errors.append(FieldError("rank", "must be distance or eta")) }
        if rank == .eta {
            if type != .current { errors.append(FieldError("rank", "eta ranks current drivers only (type=current)")) }
            if let radius, radius > settings.maximumRoadTimeRadiusMeters {
                errors.append(FieldError("radius_m", "must be at most \(Int(settings.maximumRoadTimeRadiusMeters)) with rank=eta"))
            }
        }
        var filter: AttributeFilter?
        do {
            filter = try NearbyFilter.parse(where: parameters.formValues("where"), wherein: parameters.formValues("wherein"))
        } catch {
            errors += error.errors
        }
        guard errors.isEmpty, let latitude, let longitude, let radius, let limit, let rank,
              let center = try? Coordinate(latitude: latitude, longitude: longitude)
        else { throw FieldErrors(errors) }
        self.center = center
        self.radiusMeters = radius
        self.limit = Int(limit)
        self.type = type
        self.maxAgeSeconds = maxAge.map { Int($0) }
        self.rank = rank
        self.filter = filter
    }
}
