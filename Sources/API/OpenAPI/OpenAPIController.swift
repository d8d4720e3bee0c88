import Hummingbird
import NIOCore

/// `GET /openapi.json`: the API contract (OpenAPI 3.1), `openapi.json` beside
/// this file, compiled into the binary. Public, like the API's shape itself.
struct OpenAPIController: Sendable {
    private static let document = ByteBuffer(bytes: PackageResources.openapi_json)

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("openapi.json") { _, _ in Response.json(Self.document) }
    }
}
