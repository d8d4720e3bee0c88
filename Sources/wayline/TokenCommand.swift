import ArgumentParser
import Auth
import Foundation

/// `wayline token`: prints a token signed with the configured secret
/// (`WAYLINE_JWT_SECRET`) or the embedded default's.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a signed access token (HS256, with WAYLINE_JWT_SECRET or the embedded default's secret)."
    )

    @Option(help: "service_role, authenticated or anon (default: authenticated with --sub, else service_role).")
    var role: String?

    @Option(help: "The user's UUID (the sub claim); required for role authenticated.")
    var sub: String?

    @Option(help: "The cache tenant of a service_role token.")
    var tenant: String?

    @Option(help: "Lifetime, such as 15m, 1h or 30d.")
    var ttl: String = "1h"

    func run() async throws {
        let environment = Environment()
        let role = try self.role.map { name in
            guard let role = Role(rawValue: name) else { throw ValidationError("--role must be service_role, authenticated or anon") }
            return role
        } ?? (sub == nil ? .serviceRole : .authenticated)
        if role == .authenticated, sub.flatMap(UUID.init(uuidString:)) == nil {
            throw ValidationError("--sub must be the user's UUID for role authenticated")
        }
        if let tenant, role != .serviceRole || !TenantName.isValid(tenant) {
            throw ValidationError("--tenant must be 1 to 64 of A-Z a-z 0-9 . _ - and goes with role service_role only")
        }
        let lifetime = try Environment.parseDuration(ttl, name: "--ttl")
        let embedded = environment.databaseURL == nil ? environment.dataDirectory : nil
        guard let secret = try AuthConfiguration.secret(environment, embeddedDataDirectory: embedded, logger: nil) else {
            throw ValidationError("no secret to sign with: set WAYLINE_JWT_SECRET (tokens for JWKS keys come from your auth server)")
        }
        let minter = await TokenMinter(secret: secret)
        print(try await minter.token(
            role: role, subject: sub?.lowercased(), tenant: tenant, audience: environment.value("WAYLINE_JWT_AUDIENCE"),
            lifetime: TimeInterval(lifetime.components.seconds)
        ))
    }
}
