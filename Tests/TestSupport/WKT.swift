public import GeoCore

/// Well-known text for PostGIS, longitude first as WKT requires, with every
/// digit a Double carries so both sides compute on the same numbers.
public enum WKT {
    public static func point(_ coordinate: Coordinate) -> String {
        "SRID=4326;POINT(\(coordinate.longitude) \(coordinate.latitude))"
    }

    public static func lineString(_ line: [Coordinate]) -> String {
        "SRID=4326;LINESTRING(" + line.map { "\($0.longitude) \($0.latitude)" }.joined(separator: ",") + ")"
    }
}
