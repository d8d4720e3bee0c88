import Foundation
public import Logging
public import ServiceLifecycle

/// Restarts the embedded cluster when it stops under a running `serve` (its
/// postmaster killed, say): every second it asks `pg_ctl status`, and starts
/// the cluster again when nothing runs. PostgreSQL replays its log on the way
/// up, so every committed write is there; the pool reconnects by itself.
public struct EmbeddedPostgresSupervisor: Service {
    private let cluster: EmbeddedPostgres
    private let logger: Logger

    public init(cluster: EmbeddedPostgres, logger: Logger) {
        self.cluster = cluster
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: .seconds(1))) != nil {
                do {
                    guard try await !cluster.isRunning() else { continue }
                    logger.error("the embedded PostgreSQL is not running: starting it again", metadata: ["db.data_dir": "\(cluster.dataDirectory)"])
                    try await cluster.start()
                    logger.info("the embedded PostgreSQL is running again")
                } catch {
                    logger.error("could not start the embedded PostgreSQL", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
