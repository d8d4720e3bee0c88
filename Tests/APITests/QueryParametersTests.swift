@testable import API
import Testing

@Suite(.timeLimit(.minutes(5))) struct QueryParametersTests {
    @Test func firstValueOfANameDecoded() {
        let parameters = QueryParameters("/v1/nearby?lat=%2D1.95&lng=30.1&lat=5&place=caf%C3%A9%20du%20port&flag&empty=#lat=9")
        #expect(parameters["lat"] == "-1.95")
        #expect(parameters["lng"] == "30.1")
        #expect(parameters["place"] == "café du port")
        #expect(parameters["flag"] == "")
        #expect(parameters["empty"] == "")
        #expect(parameters["radius_m"] == nil)
        #expect(parameters["la"] == nil)
        #expect(parameters.firstName { $0.hasPrefix("p") } == "place")
        #expect(parameters.firstName { $0 == "radius_m" } == nil)
    }

    @Test func valuesReadAsNumbers() {
        let parameters = QueryParameters("/v1/nearby?lat=%2D1.95&lng=30.1&radius_m=0x10")
        #expect(parameters.value("lat", DecimalNumber.parse) == -1.95)
        #expect(parameters.value("lng", DecimalNumber.parse) == 30.1)
        #expect(parameters.value("radius_m", DecimalNumber.parse) == .some(nil))
        #expect(parameters.value("limit", DecimalNumber.parse) == nil)
    }

    @Test func escapesThatAreNotUTF8StayAsSent() {
        #expect(QueryParameters("/x?name=%FF%FE")["name"] == "%FF%FE")
        #expect(QueryParameters("/x?name=100%")["name"] == "100%")
    }

    @Test func noQueryOrEmptyPairs() {
        #expect(QueryParameters("/route/v1/driving/1,2;3,4").firstName { _ in true } == nil)
        #expect(QueryParameters("/x?").firstName { _ in true } == nil)
        let parameters = QueryParameters("/x?&&a=1&&")
        #expect(parameters.firstName { _ in true } == "a")
        #expect(parameters["a"] == "1")
        #expect(parameters[""] == nil)
    }
}
