/// What a car may drive and how fast: OSRM's `profiles/car.lua` as data. The
/// rules that read these tables are `WayRules` and `NodeRules`; each table is
/// listed beside OSRM's in docs/routing.md. Speeds are km/h.
public struct CarProfile: Sendable {
    /// Speeds by `highway` class; a class not listed is routable only with an explicit access tag.
    public var highwaySpeeds: [String: Double]
    /// Speeds of `route=ferry` and `route=shuttle_train` ways without a `duration`.
    public var routeSpeeds: [String: Double]
    /// Speed of a way whose class has none, where an access tag opens it.
    public var defaultSpeed: Double
    /// Stated limits are not kept: a car averages this share of `maxspeed`.
    public var speedReduction: Double

    /// The access keys a car obeys, most specific first; the first present decides.
    public var accessHierarchy: [String]
    public var accessAllowed: Set<String>
    public var accessBlocked: Set<String>
    /// Values that allow a car only to reach or leave a place on the way
    /// (OSRM's `restricted_access_tag_list`): open at a route's ends, closed to through traffic.
    public var accessRestricted: Set<String>
    /// Classes on which `accessRestricted` values mean "destination only"
    /// rather than closed (OSRM's `restricted_highway_whitelist`).
    public var restrictedHighways: Set<String>
    /// `service=*` values closed to cars.
    public var serviceForbidden: Set<String>
    /// `highway=*` values never routed: areas, steps, unbuilt and reversible roads (OSRM's `avoid`).
    public var avoidedHighways: Set<String>
    /// `construction=*` values that still leave a road open.
    public var constructionAllowed: Set<String>

    /// Barrier values a car passes; any other barrier blocks, unless it has a penalty.
    public var barriersPassable: Set<String>
    /// Barriers a car passes after a wait, in seconds.
    public var barrierPenalties: [String: Double]

    /// Caps by surface, tracktype and smoothness (0: impassable).
    public var surfaceSpeeds: [String: Double]
    public var tracktypeSpeeds: [String: Double]
    public var smoothnessSpeeds: [String: Double]

    /// Implicit limits (`maxspeed=FR:urban`): exceptions by country and zone, then the defaults by zone.
    public var maxspeedByZone: [String: Double]
    public var maxspeedDefaultsByZone: [String: Double]

    /// Turn costs: the sigmoid's ceiling by angle, its bias to the side
    /// traffic drives on, a u-turn's extra cost, and a traffic signal's wait.
    public var turnPenalty: Double
    public var turnBias: Double
    public var uTurnPenalty: Double
    public var trafficSignalPenalty: Double

    /// Restriction relations a car obeys: `restriction` and these `restriction:*`
    /// keys; `except` naming any of them exempts a car.
    public var restrictionModes: [String]

    public static let car = CarProfile(
        highwaySpeeds: [
            "motorway": 90, "motorway_link": 45, "trunk": 85, "trunk_link": 40,
            "primary": 65, "primary_link": 30, "secondary": 55, "secondary_link": 25,
            "tertiary": 40, "tertiary_link": 20, "unclassified": 25, "residential": 25,
            "living_street": 10, "service": 15, "winter_road": 20, "ice_road": 15,
        ],
        routeSpeeds: ["ferry": 5, "shuttle_train": 10],
        defaultSpeed: 10,
        speedReduction: 0.8,
        accessHierarchy: ["motorcar", "motor_vehicle", "vehicle", "access"],
        accessAllowed: ["yes", "motorcar", "motor_vehicle", "vehicle", "permissive", "designated", "hov"],
        accessBlocked: [
            "no", "agricultural", "forestry", "emergency", "psv", "taxi", "share_taxi", "minibus", "bus", "foot",
            "emergency_vehicle", "restricted", "military", "official", "customers", "private", "delivery",
            "destination", "permit", "residents",
        ],
        accessRestricted: ["private", "delivery", "destination", "customers", "permit", "residents", "unknown"],
        restrictedHighways: [
            "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary",
            "secondary_link", "tertiary", "tertiary_link", "residential", "living_street", "unclassified",
            "service", "winter_road", "ice_road",
        ],
        serviceForbidden: ["emergency_access"],
        avoidedHighways: ["area", "reversible", "impassable", "hov_lanes", "steps", "construction", "proposed"],
        constructionAllowed: ["no", "widening", "minor"],
        barriersPassable: ["cattle_grid", "border_control", "toll_booth", "sally_port", "no", "entrance", "height_restrictor", "arch"],
        barrierPenalties: ["gate": 60, "lift_gate": 60],
        surfaceSpeeds: [
            "cement": 80, "compacted": 80, "fine_gravel": 80,
            "paving_stones": 60, "metal": 60, "bricks": 60,
            "grass": 40, "wood": 40, "sett": 40, "grass_paver": 40, "gravel": 40, "unpaved": 40,
            "ground": 40, "dirt": 40, "pebblestone": 40, "tartan": 40,
            "cobblestone": 30, "clay": 30,
            "earth": 20, "stone": 20, "rocky": 20, "sand": 20,
            "laterite": 15, "mud": 10, "ice": 20, "snow": 30,
        ],
        tracktypeSpeeds: ["grade1": 60, "grade2": 40, "grade3": 30, "grade4": 25, "grade5": 20],
        smoothnessSpeeds: ["intermediate": 80, "bad": 40, "very_bad": 20, "horrible": 10, "very_horrible": 5, "impassable": 0],
        maxspeedByZone: [
            "at:rural": 100, "at:trunk": 100, "ar:urban": 40, "ar:rural": 110, "be:motorway": 120,
            "be-bru:rural": 70, "be-bru:urban": 30, "be-vlg:rural": 70, "bg:motorway": 140,
            "by:urban": 60, "by:motorway": 110, "ca-on:rural": 80, "ch:rural": 80, "ch:trunk": 100,
            "ch:motorway": 120, "de:living_street": 7, "de:rural": 100, "de:motorway": 0, "dk:rural": 80,
            "es:trunk": 90, "fr:rural": 80, "gb:nsl_single": 60 * 1.609, "gb:nsl_dual": 70 * 1.609,
            "gb:motorway": 70 * 1.609, "lv:living_street": 20, "nl:rural": 80, "nl:trunk": 100,
            "no:rural": 80, "no:motorway": 110, "ph:urban": 40, "ph:rural": 80, "ph:motorway": 100,
            "pl:rural": 100, "pl:expressway": 120, "pl:motorway": 140, "ro:trunk": 100,
            "ru:living_street": 20, "ru:urban": 60, "ru:motorway": 110, "uk:nsl_single": 60 * 1.609,
            "uk:nsl_dual": 70 * 1.609, "uk:motorway": 70 * 1.609, "za:urban": 60, "za:rural": 100, "none": 140,
        ],
        maxspeedDefaultsByZone: ["urban": 50, "rural": 90, "trunk": 110, "motorway": 130],
        turnPenalty: 7.5,
        turnBias: 1.075,
        uTurnPenalty: 20,
        trafficSignalPenalty: 2,
        restrictionModes: ["motorcar", "motor_vehicle", "vehicle"]
    )
}
