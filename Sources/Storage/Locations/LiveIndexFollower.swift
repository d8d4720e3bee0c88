import Foundation
public import Logging
public import ServiceLifecycle

/// Loads the `current` positions into the live index at start, then follows
/// every instance's writes by polling an `updated_at` watermark.
///
/// `updated_at` is a transaction's start time, so a slow transaction can commit
/// a row stamped earlier than rows already seen. Each poll therefore resumes
/// not from the newest row seen but from the start of the oldest transaction
/// that was still open when the poll began (`changeHorizon`): anything not yet
/// visible is stamped at or after it. Re-reading a row is harmless (the index
/// keeps the newest). Deletions arrive the same way, through tombstones.
public struct LiveIndexFollower: Service {
    private let repository: LocationRepository
    private let index: LiveDriverIndex
    private let interval: Duration
    private let schema: SchemaGate
    private let logger: Logger

    /// - Parameter interval: the pause between polls; other instances' writes
    ///   show up within about this long (plus the poll itself).
    /// - Parameter schema: the first poll waits until it opens.
    public init(
        repository: LocationRepository, index: LiveDriverIndex, interval: Duration = .milliseconds(200),
        after schema: SchemaGate, logger: Logger
    ) {
        self.repository = repository
        self.index = index
        self.interval = interval
        self.schema = schema
        self.logger = logger
    }

    public func run() async throws {
        // Polling stops as soon as the service group shuts down gracefully.
        await cancelWhenGracefulShutdown {
            guard await schema.wait() else { return }
            await self.follow()
        }
    }

    private func follow() async {
        var since = Date.distantPast
        while !Task.isCancelled {
            do {
                let horizon = try await repository.changeHorizon()
                try await repository.currentPositionsChanged(since: since) { index.apply($0) }
                for removal in try await repository.currentDeleted(since: since) {
                    index.remove(removal.userID, deletedAt: removal.deletedAt)
                }
                since = horizon
                index.markSynced(at: Date())
                if !index.isReady {
                    index.markReady()
                    logger.info("live driver index loaded", metadata: ["index.count": "\(index.count)"])
                }
            } catch {
                logger.warnDatabaseFailure("live index poll failed", error)
            }
            try? await Task.sleep(for: interval)
        }
    }
}
