import Foundation

/// How a car may travel one OpenStreetMap way: OSRM car.lua's way handlers,
/// in its order, reading `CarProfile`'s tables.
public struct WayTravel: Sendable, Equatable {
    /// km/h along the way's drawing direction and against it; nil: closed that way.
    public var forwardSpeed: Double?
    public var backwardSpeed: Double?
    /// A ferry's stated crossing time for the whole way, in seconds.
    public var durationSeconds: Double?
    /// Open in that direction only to reach or leave a place on the way
    /// (`access=destination`, `private`, `delivery`, …).
    public var forwardRestricted = false
    public var backwardRestricted = false
    public var isFerry = false
    public var name: String
    public var highway: String
}

extension CarProfile {
    /// The travel a car has on a way with these tags; nil when it has none.
    public func travel(_ tags: [String: String]) -> WayTravel? {
        let highway = tags["highway"] ?? ""
        let route = tags["route"] ?? ""
        guard !highway.isEmpty || !route.isEmpty else { return nil }
        guard !isBlocked(tags, highway: highway) else { return nil }

        // Access, per direction, most specific key first.
        let (forwardAccess, backwardAccess) = directional(tags, keys: accessHierarchy)
        let forwardAllowed = resolveAccess(forwardAccess)
        let backwardAllowed = resolveAccess(backwardAccess)
        var travel = WayTravel(name: tags["name"] ?? "", highway: highway)
        var forwardOpen = true
        var backwardOpen = true
        if restrictedHighways.contains(highway) {
            travel.forwardRestricted = forwardAllowed.map(accessRestricted.contains) ?? false
            travel.backwardRestricted = backwardAllowed.map(accessRestricted.contains) ?? false
        }
        if let access = forwardAllowed, accessBlocked.contains(access), !travel.forwardRestricted { forwardOpen = false }
        if let access = backwardAllowed, accessBlocked.contains(access), !travel.backwardRestricted { backwardOpen = false }
        guard forwardOpen || backwardOpen else { return nil }

        // Oneway: the car's own key first, then the general one, then what the road implies.
        let oneway = accessHierarchy.dropLast().lazy.compactMap { tags["oneway:\($0)"] }.first ?? tags["oneway"]
        switch oneway {
        case "-1": forwardOpen = false
        case "yes", "1", "true": backwardOpen = false
        default:
            let junction = tags["junction"]
            if oneway != "no", highway == "motorway" || junction == "roundabout" || junction == "circular" { backwardOpen = false }
        }

        var forwardSpeed: Double?
        var backwardSpeed: Double?
        if let speed = routeSpeeds[route], speed > 0 {
            travel.isFerry = true
            travel.durationSeconds = tags["duration"].flatMap(Self.parseDuration).map { max($0, 1) }
            forwardSpeed = speed
            backwardSpeed = speed
        } else if let speed = highwaySpeeds[highway] {
            forwardSpeed = speed
            backwardSpeed = speed
        } else {
            // A class without a speed is open where an access tag that is not a block opens it.
            if let access = forwardAllowed, !accessBlocked.contains(access) { forwardSpeed = defaultSpeed }
            if let access = backwardAllowed, !accessBlocked.contains(access) { backwardSpeed = defaultSpeed }
            if forwardAllowed == nil, backwardAllowed != nil { forwardOpen = false }
            if backwardAllowed == nil, forwardAllowed != nil { backwardOpen = false }
            guard forwardSpeed != nil || backwardSpeed != nil else { return nil }
        }
        if let service = tags["service"], serviceForbidden.contains(service) { return nil }

        // A stated limit replaces the class speed, reduced to what a car averages under it.
        let (forwardLimit, backwardLimit) = directional(tags, keys: ["maxspeed:advisory", "maxspeed", "source:maxspeed", "maxspeed:type"])
        if let limit = forwardLimit.map(parseMaxspeed), limit > 0, forwardSpeed != nil { forwardSpeed = limit * speedReduction }
        if let limit = backwardLimit.map(parseMaxspeed), limit > 0, backwardSpeed != nil { backwardSpeed = limit * speedReduction }

        // Rough roads cap it.
        for cap in [tags["surface"].flatMap { surfaceSpeeds[$0] }, tags["tracktype"].flatMap { tracktypeSpeeds[$0] },
                    tags["smoothness"].flatMap { smoothnessSpeeds[$0] }].compactMap({ $0 }) {
            forwardSpeed = forwardSpeed.map { min($0, cap) }
            backwardSpeed = backwardSpeed.map { min($0, cap) }
        }

        travel.forwardSpeed = forwardOpen ? forwardSpeed.flatMap { $0 > 0 ? $0 : nil } : nil
        travel.backwardSpeed = backwardOpen ? backwardSpeed.flatMap { $0 > 0 ? $0 : nil } : nil
        if travel.durationSeconds != nil, travel.isFerry {
            // A timed ferry runs in the directions it is open; its speed only marks them open.
            if !forwardOpen { travel.forwardSpeed = nil }
            if !backwardOpen { travel.backwardSpeed = nil }
        }
        guard travel.forwardSpeed != nil || travel.backwardSpeed != nil else { return nil }
        return travel
    }

    /// Ways no car drives whatever their access: areas, steps, roads under
    /// construction or only proposed, reversible oneways and impassable ones.
    private func isBlocked(_ tags: [String: String], highway: String) -> Bool {
        if tags["area"] == "yes" || avoidedHighways.contains(highway) { return true }
        if tags["railway"] == "construction" { return true }
        if let construction = tags["construction"], !constructionAllowed.contains(construction) { return true }
        if tags["proposed"] != nil, highway.isEmpty || highway == "proposed" { return true }
        if tags["oneway"] == "reversible" { return true }
        return tags["impassable"] == "yes" || tags["status"] == "impassable"
    }

    /// The first of `keys` present for each direction, `key:forward` and
    /// `key:backward` before `key` itself (OSRM's `get_forward_backward_by_set`).
    private func directional(_ tags: [String: String], keys: [String]) -> (forward: String?, backward: String?) {
        var forward: String?
        var backward: String?
        for key in keys {
            forward = forward ?? tags["\(key):forward"]
            backward = backward ?? tags["\(key):backward"]
            if forward == nil || backward == nil {
                let common = tags[key]
                forward = forward ?? common
                backward = backward ?? common
            }
            if forward != nil, backward != nil { break }
        }
        return (forward, backward)
    }

    /// One value from a `;` list: the most permissive part (allowed, then
    /// restricted, then blocked, then anything else), as OSRM's `resolve_access`.
    func resolveAccess(_ value: String?) -> String? {
        guard let value, value.contains(";") else { return value }
        func rank(_ part: String) -> Int {
            accessAllowed.contains(part) ? 3 : accessRestricted.contains(part) ? 2 : accessBlocked.contains(part) ? 1 : 0
        }
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        return parts.max { rank($0) < rank($1) } ?? value
    }

    /// km/h from `maxspeed`: a leading number (mph converted), else a zone
    /// code such as `FR:urban` or `none`; 0 when neither.
    func parseMaxspeed(_ value: String) -> Double {
        let digits = value.prefix { $0.isASCII && $0.isNumber }
        if let number = Double(digits) {
            return value.contains("mph") || value.contains("mp/h") ? number * 1.609 : number
        }
        let code = value.lowercased()
        if let speed = maxspeedByZone[code] { return speed }
        guard let colon = code.firstIndex(of: ":"), code.distance(from: code.startIndex, to: colon) >= 2 else { return 0 }
        let zone = code[code.index(after: colon)...].prefix { $0.isLetter }
        return maxspeedDefaultsByZone[String(zone)] ?? 0
    }

    /// Seconds from a ferry's `duration`: `HH:MM`, `HH:MM:SS`, a number of
    /// minutes, or ISO 8601 (`PT1H30M`).
    static func parseDuration(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("P") { return parseISODuration(trimmed) }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        let numbers = parts.map { $0! }
        switch numbers.count {
        case 1: return numbers[0] * 60
        case 2: return numbers[0] * 3600 + numbers[1] * 60
        default: return numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
        }
    }

    private static func parseISODuration(_ value: String) -> Double? {
        var seconds = 0.0
        var number = ""
        var inTime = false
        for character in value.dropFirst() {
            if character == "T" { inTime = true; continue }
            if character.isNumber || character == "." { number.append(character); continue }
            guard let amount = Double(number) else { return nil }
            number = ""
            switch (character, inTime) {
            case ("D", false): seconds += amount * 86_400
            case ("H", true): seconds += amount * 3600
            case ("M", true): seconds += amount * 60
            case ("S", true): seconds += amount
            default: return nil
            }
        }
        return number.isEmpty ? seconds : nil
    }
}
