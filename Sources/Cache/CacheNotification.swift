import Foundation

/// A change announced on the cache channel by the database functions of
/// migration 20260401200000: 'k' followed by a key, or 't' followed by a JSON
/// array of tags. Anything else means "drop everything", the safe reading of
/// a message this version does not understand.
enum CacheNotification: Equatable {
    case key(String)
    case tags([String])
    case unknown

    init(_ payload: String) {
        switch payload.first {
        case "k":
            self = .key(String(payload.dropFirst()))
        case "t":
            let tags = try? JSONDecoder().decode([String].self, from: Data(payload.utf8.dropFirst()))
            self = tags.map(CacheNotification.tags) ?? .unknown
        default:
            self = .unknown
        }
    }
}
