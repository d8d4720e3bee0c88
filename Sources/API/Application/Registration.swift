import Logging
import ServiceLifecycle
import Storage

/// This instance in the platform's service registry: registered once the
/// schema is ready, a heartbeat every 10 s with a few figures, `stopping` as
/// soon as it drains, `stopped` on the way out. `service_health_overview`
/// flags an instance whose heartbeat stopped (60 s) as unhealthy.
struct Registration: Service {
    let repository: ServiceRegistryRepository
    let instance: ServiceRegistryRepository.Instance
    let state: ServiceState
    let health: DatabaseHealth
    /// The heartbeat's figures, a JSON object.
    let figures: @Sendable () -> String
    let logger: Logger
    var interval: Duration = .seconds(10)

    func run() async throws {
        guard await state.schema.wait() else { return }
        await cancelWhenGracefulShutdown {
            var registered = await attempt { try await repository.register(instance) } != nil
            var reportedStopping = false
            var sinceBeat = interval
            while !Task.isCancelled {
                if state.isDraining, !reportedStopping {
                    reportedStopping = await attempt { try await repository.heartbeat(instance.name, status: "stopping", figuresJSON: figures()) } != nil
                } else if !state.isDraining, sinceBeat >= interval {
                    if !registered { registered = await attempt { try await repository.register(instance) } != nil }
                    let status = health.isUp ? "healthy" : "unhealthy"
                    // Deleted from the registry meanwhile: register again at the next beat.
                    if await attempt({ try await repository.heartbeat(instance.name, status: status, figuresJSON: figures()) }) == false {
                        registered = false
                    }
                    sinceBeat = .zero
                }
                try? await Task.sleep(for: .milliseconds(250))
                sinceBeat += .milliseconds(250)
            }
        }
        _ = await attempt { try await repository.heartbeat(instance.name, status: "stopped", figuresJSON: figures()) }
    }

    /// `work`'s result within 2 s, or nil (logged) when it fails: the registry
    /// is for operators, and its trouble must not hold up serving or stopping.
    private func attempt<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async -> T? {
        do {
            return try await abandoning(after: .seconds(2), work)
        } catch {
            logger.warnDatabaseFailure("service registry update failed", error)
            return nil
        }
    }
}
