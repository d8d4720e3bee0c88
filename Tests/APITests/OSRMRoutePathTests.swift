@testable import API
import Testing

@Suite(.timeLimit(.minutes(5))) struct OSRMRoutePathTests {
    @Test func takesTheProfileAndCoordinatesAsSent() {
        let path = OSRMRoutePath(target: "/route/v1/driving/7.42,43.73;7.43,43.74.json")
        #expect(path?.profile == "driving")
        #expect(path?.coordinates == "7.42,43.73;7.43,43.74.json")
        #expect(OSRMRoutePath(target: "/route/v1/car/1%2C2%3B3%2C4")?.coordinates == "1%2C2%3B3%2C4")
        let queried = OSRMRoutePath(target: "/route/v1/driving/1,2;3,4?overview=false&x=/y")
        #expect(queried?.profile == "driving")
        #expect(queried?.coordinates == "1,2;3,4")
    }

    /// These go on to the router, which answers them as it always has.
    @Test func leavesEveryOtherShapeToTheRouter() {
        for path in [
            "/route/v1/driving", "/route/v1/driving/", "/route/v1//1,2;3,4", "/route/v1/driving/1,2;3,4/",
            "/route/v1/driving/1,2;3,4/extra", "/Route/v1/driving/1,2;3,4", "/route/v2/driving/1,2;3,4",
            "route/v1/driving/1,2;3,4", "/route/v1/", "/route", "/", "", "/route/v1/driving?to=/1,2;3,4",
            "/route/v1/driving/?overview=false", "/route/v1/driving/1,2;3,4/?overview=false",
        ] {
            #expect(OSRMRoutePath(target: path) == nil, "\(path)")
        }
    }
}
