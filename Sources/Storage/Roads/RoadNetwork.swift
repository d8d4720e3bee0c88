import Foundation
public import GeoCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// The road network this instance routes on, replaced whole when an import
/// lands; requests take the current router and keep it for their route.
public final class RoadNetwork: Sendable {
    private let current = Mutex<RoadRouter?>(nil)

    public init() {}

    public var router: RoadRouter? { current.withLock { $0 } }

    public func replace(with router: RoadRouter?) {
        current.withLock { $0 = router }
    }
}

/// Loads the imported network at start and again whenever `wayline import-osm`
/// announces a new one (and after a lost listening connection, since an
/// announcement may have been missed).
public struct RoadNetworkLoader: Service {
    private let repository: RoadNetworkRepository
    private let network: RoadNetwork
    private let reloaded: @Sendable () -> Void
    private let schema: SchemaGate
    private let logger: Logger

    /// - Parameter schema: listening (and so the first load) waits until it opens.
    /// - Parameter reloaded: called after each load, to drop what was derived from the old network.
    public init(
        repository: RoadNetworkRepository, network: RoadNetwork, after schema: SchemaGate, logger: Logger,
        reloaded: @escaping @Sendable () -> Void
    ) {
        self.repository = repository
        self.network = network
        self.reloaded = reloaded
        self.schema = schema
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            guard await schema.wait() else { return }
            await self.follow()
        }
    }

    private func follow() async {
        await repository.imports(logger: logger).run(connected: { await load() }, received: { _ in await load() }, lost: {})
    }

    /// Runs each time LISTEN is in place (at start and after a reconnect), so
    /// no import can land unseen between a load and the listening.
    private func load() async {
        do {
            let edges = try await repository.edges()
            var router: RoadRouter?
            if !edges.isEmpty {
                let turns = try await repository.turns()
                let sequences = try await repository.forbiddenSequences()
                // Cancelled (the service is stopping): the network in use stays.
                guard let built = await Self.build(edges, turns, sequences) else { return }
                router = built
            }
            network.replace(with: router)
            reloaded()
            logger.info("road network loaded", metadata: [
                "roads.edges": "\(router?.graph.edges.count ?? 0)", "roads.vertices": "\(router?.graph.intersectionCount ?? 0)",
                "roads.turns": "\(router?.graph.arcCount ?? 0)",
            ])
        } catch {
            logger.warnDatabaseFailure("road network could not be loaded", error)
        }
    }

    /// Builds the router on a thread of its own: contracting a large network
    /// takes seconds or more, and Swift's cooperative pool, one thread per
    /// core, runs every request meanwhile. Nil when the task is cancelled
    /// first: a stopping service does not wait for a build it will not use
    /// (the thread finishes it and drops it).
    private static func build(_ edges: [RoadEdge], _ turns: [RoadTurn], _ sequences: [ForbiddenSequence]) async -> RoadRouter? {
        let waiting = Mutex<CheckedContinuation<RoadRouter?, Never>?>(nil)
        // Whichever comes first, the build or the cancellation, resumes the wait.
        let finish = { @Sendable (router: RoadRouter?) in waiting.withLock { $0.take() }?.resume(returning: router) }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { built in
                waiting.withLock { $0 = built }
                Thread { finish(RoadRouter(graph: RoadGraph(edges: edges, turns: turns, sequences: sequences))) }.start()
                // Cancelled before the continuation was there to resume.
                if Task.isCancelled { finish(nil) }
            }
        } onCancel: {
            finish(nil)
        }
    }
}
