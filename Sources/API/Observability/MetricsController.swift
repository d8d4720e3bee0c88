import Hummingbird
import NIOCore

/// `GET /metrics`: the Prometheus text exposition of everything the service
/// counts. Unauthenticated, as Prometheus scrapes are; with
/// `WAYLINE_METRICS_PORT` it is served on that port instead, and the service
/// port does not have it.
struct MetricsController: Sendable {
    let figures: ScrapeFigures
    /// The exposition, from the backend the executable bootstrapped.
    let render: @Sendable () -> [UInt8]

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("metrics") { _, _ in
            figures.update()
            return Response(
                status: .ok, headers: [.contentType: Self.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: render()))
            )
        }
    }
}
