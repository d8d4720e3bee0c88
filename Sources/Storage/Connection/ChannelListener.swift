public import Logging
public import PostgresNIO

/// LISTEN on one channel for as long as the calling task runs, on a connection
/// of its own, reconnecting with back-off when the connection is lost. What a
/// listener must do about notifications it may have missed while it was not
/// listening is its owner's business: `connected` runs each time LISTEN is in
/// place (first time included), `lost` each time the connection goes.
public struct ChannelListener: Sendable {
    private let client: PostgresClient
    private let channel: String
    private let logger: Logger

    public init(client: PostgresClient, channel: String, logger: Logger) {
        self.client = client
        self.channel = channel
        self.logger = logger
    }

    public func run(
        connected: () async -> Void, received: (String) async -> Void, lost: () async -> Void
    ) async {
        var pause = Duration.milliseconds(50)
        while !Task.isCancelled {
            do {
                try await client.withConnectionClosedOnFailure { connection in
                    try await connection.listen(on: channel) { notifications in
                        pause = .milliseconds(50)
                        await connected()
                        for try await notification in notifications { await received(notification.payload) }
                    }
                }
            } catch {
                logger.warnDatabaseFailure("lost the connection listening on \(channel)", error)
            }
            await lost()
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(2))
        }
    }
}
