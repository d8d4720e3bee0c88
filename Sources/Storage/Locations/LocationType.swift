/// The kinds of location a user has, one stored location per kind (the
/// `locations` table's check constraint lists the same values).
public enum LocationType: String, CaseIterable, Sendable, Codable {
    case current, home, work, favorite, pickup, dropoff
}
