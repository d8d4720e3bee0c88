/// The two components of a request target `/route/v1/{profile}/{coordinates}`
/// (a query may follow) when there are exactly two and neither is empty:
/// the paths the router's `route/v1/:profile/:coordinates` matches.
///
/// Read from the target as received, which the request keeps: every request
/// is checked, and `uri.path` builds a new string on each call.
struct OSRMRoutePath {
    let profile: String
    let coordinates: String

    init?(target: String) {
        let bytes = target.utf8
        let prefix = "/route/v1/".utf8
        guard bytes.starts(with: prefix) else { return nil }
        let rest = bytes.dropFirst(prefix.count).prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let profile = rest[..<slash]
        let coordinates = rest[rest.index(after: slash)...]
        guard !profile.isEmpty, !coordinates.isEmpty, !coordinates.contains(UInt8(ascii: "/")) else { return nil }
        self.profile = String(Substring(profile))
        self.coordinates = String(Substring(coordinates))
    }
}
