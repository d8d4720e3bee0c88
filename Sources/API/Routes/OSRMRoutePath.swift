/// The two components of a path `/route/v1/{profile}/{coordinates}` when
/// there are exactly two and neither is empty: the paths the router's
/// `route/v1/:profile/:coordinates` matches.
struct OSRMRoutePath {
    let profile: String
    let coordinates: String

    init?(_ path: String) {
        let bytes = path.utf8
        let prefix = "/route/v1/".utf8
        guard bytes.starts(with: prefix) else { return nil }
        let rest = bytes.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let profile = rest[..<slash]
        let coordinates = rest[rest.index(after: slash)...]
        guard !profile.isEmpty, !coordinates.isEmpty, !coordinates.contains(UInt8(ascii: "/")) else { return nil }
        self.profile = String(Substring(profile))
        self.coordinates = String(Substring(coordinates))
    }
}
