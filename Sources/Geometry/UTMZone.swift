public import GeoCore

/// The metric grid zone that covers a coordinate: a UTM zone between 80°S and
/// 84°N, and the Universal Polar Stereographic grid beyond, so that a local
/// projection exists everywhere on the globe.
public struct UTMZone: Hashable, Sendable {
    /// The EPSG code of the projected CRS (WGS 84 / UTM zone Nn or Ss, or UPS).
    public let epsg: Int

    /// The zone whose grid covers `coordinate`.
    public init(containing coordinate: Coordinate) {
        if coordinate.latitude > 84 {
            epsg = 32661  // WGS 84 / UPS North (N,E)
        } else if coordinate.latitude < -80 {
            epsg = 32761  // WGS 84 / UPS South (N,E)
        } else {
            // Zones are 6° wide from 180°W; 180°E itself belongs to zone 60.
            let zone = min(Int(((coordinate.longitude + 180) / 6).rounded(.down)) + 1, 60)
            epsg = (coordinate.latitude >= 0 ? 32600 : 32700) + zone
        }
    }

    public init(epsg: Int) {
        self.epsg = epsg
    }
}
