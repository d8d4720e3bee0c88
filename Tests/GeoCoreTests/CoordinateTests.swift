import GeoCore
import Testing

@Suite(.timeLimit(.minutes(5))) struct CoordinateTests {
    @Test(arguments: [(0.0, 0.0), (90, 180), (-90, -180), (-33.8688, 151.2093), (89.999999, -179.999999)])
    func acceptsValidCoordinates(latitude: Double, longitude: Double) throws {
        let coordinate = try Coordinate(latitude: latitude, longitude: longitude)
        #expect(coordinate.latitude == latitude)
        #expect(coordinate.longitude == longitude)
    }

    @Test func rejectsOutOfRangeLatitude() {
        #expect(throws: CoordinateError.outOfRange(.latitude, 90.0000001)) {
            try Coordinate(latitude: 90.0000001, longitude: 0)
        }
        #expect(throws: CoordinateError.outOfRange(.latitude, -91)) { try Coordinate(latitude: -91, longitude: 0) }
    }

    @Test func rejectsOutOfRangeLongitude() {
        #expect(throws: CoordinateError.outOfRange(.longitude, 180.5)) { try Coordinate(latitude: 0, longitude: 180.5) }
        #expect(throws: CoordinateError.outOfRange(.longitude, -181)) { try Coordinate(latitude: 0, longitude: -181) }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, .signalingNaN])
    func rejectsNonFiniteValues(value: Double) {
        #expect(throws: CoordinateError.notFinite(.latitude)) { try Coordinate(latitude: value, longitude: 0) }
        #expect(throws: CoordinateError.notFinite(.longitude)) { try Coordinate(latitude: 0, longitude: value) }
    }

    @Test func errorsNameTheComponentAndRule() {
        #expect(CoordinateError.outOfRange(.latitude, 91).component == .latitude)
        #expect(CoordinateError.outOfRange(.latitude, 91).description == "latitude must be between -90 and 90")
        #expect(CoordinateError.notFinite(.longitude).description == "longitude must be a finite number")
    }
}
