import ArgumentParser
import Webhooks

/// `wayline secrets rotate`: seals every stored webhook secret again under
/// the current key (`WAYLINE_SECRETS_KEY`), opening each with the key that
/// sealed it (the current one or one of `WAYLINE_SECRETS_PREVIOUS_KEYS`);
/// secrets stored before sealing are sealed too.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Manage the key that seals geofence webhook secrets at rest.",
        subcommands: [Rotate.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Seal every stored webhook secret again under WAYLINE_SECRETS_KEY.")

        func run() async throws {
            let resealed = try await DatabaseTarget.withClient { client, target, _, _ in
                guard let box = try SecretsConfiguration.box(Environment(), embeddedDataDirectory: target.embeddedDataDirectory) else {
                    throw ValidationError("no key to seal with: set WAYLINE_SECRETS_KEY")
                }
                return try await WebhookSecretRotation.rotate(client: client, box: box)
            }
            print("sealed \(resealed) webhook secrets again under the current key")
        }
    }
}
