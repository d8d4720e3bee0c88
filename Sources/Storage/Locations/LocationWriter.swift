import Foundation
import GeoCore
import Metrics

/// Coalesces concurrent location writes into multi-row statements.
///
/// Group commit: while a statement is in flight, new writes queue; when it
/// returns, everything queued (up to `maximumBatchRows`) goes out as the next
/// statement. An idle service writes at once with no added delay; a busy one
/// sends hundreds of rows per round trip. A write is acknowledged only when
/// the statement holding it has committed.
public actor LocationWriter {
    private struct Pending {
        let updates: [LocationUpdate]
        let continuation: CheckedContinuation<[StoredLocation], any Error>
    }

    private let repository: LocationRepository
    /// Where each batch's geofence crossings go, in its transaction; nil tests no fence.
    private let outbox: GeofenceOutbox?
    private let maximumBatchRows: Int
    private let maximumInFlight: Int
    private let maximumQueuedRows: Int
    private let batchBound: Duration
    private let onStored: @Sendable ([StoredLocation]) -> Void
    private let metrics = WriterMetrics()
    private var queue: [Pending] = []
    private var queuedRows = 0
    private var inFlight = 0

    /// - Parameters:
    ///   - maximumBatchRows: rows per statement at most. Four of the batch
    ///     API's usual 500-item requests fit in one: under W2's load that
    ///     carried 15 % more updates a second than one request per statement
    ///     (alternating 5 s runs of the two on one database), since four
    ///     requests then share one commit's WAL flush.
    ///   - maximumInFlight: statements in flight at once (two keep both cores of a small server busy).
    ///   - maximumQueuedRows: rows waiting for a statement at most; writes
    ///     beyond are refused (`LocationWriterBusy`), so an overload or a
    ///     database that stopped answering cannot grow the queue without bound.
    ///     Ten full statements: five seconds of W2's load.
    ///   - batchBound: how long a statement may take before its writers get
    ///     `WorkAbandoned` and its place goes to the next batch. Without it, a
    ///     statement whose connection never answers (seen once in ten runs of
    ///     chaos scenario 1, after PostgreSQL came back) held both places for
    ///     good and every later write timed out. The abandoned statement may
    ///     still commit; the live index then learns of it from the follower.
    ///   - outbox: tests each batch against the geofences and records their events with it.
    ///   - onStored: called with every committed batch's stored rows, before the writers resume.
    public init(
        repository: LocationRepository,
        outbox: GeofenceOutbox? = nil,
        maximumBatchRows: Int = 2_000,
        maximumInFlight: Int = 2,
        maximumQueuedRows: Int = 20_000,
        batchBound: Duration = .seconds(5),
        onStored: @escaping @Sendable ([StoredLocation]) -> Void
    ) {
        self.repository = repository
        self.outbox = outbox
        self.maximumBatchRows = maximumBatchRows
        self.maximumInFlight = maximumInFlight
        self.maximumQueuedRows = maximumQueuedRows
        self.batchBound = batchBound
        self.onStored = onStored
    }

    /// Stores the updates (all or none) and returns, per update, what is stored
    /// for its (user, type) afterwards.
    public func write(_ updates: [LocationUpdate]) async throws -> [StoredLocation] {
        guard !updates.isEmpty else { return [] }
        guard queuedRows + updates.count <= maximumQueuedRows else {
            metrics.shed.increment()
            throw LocationWriterBusy(queuedRows: queuedRows)
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(updates: updates, continuation: continuation))
            queuedRows += updates.count
            startFlushes()
            metrics.queued.record(queuedRows)
        }
    }

    private func startFlushes() {
        while inFlight < maximumInFlight, !queue.isEmpty {
            var batch: [Pending] = []
            var rows = 0
            while let next = queue.first, batch.isEmpty || rows + next.updates.count <= maximumBatchRows {
                batch.append(queue.removeFirst())
                rows += next.updates.count
                queuedRows -= next.updates.count
            }
            inFlight += 1
            let taken = batch
            Task { await self.flush(taken) }
        }
    }

    private func flush(_ batch: [Pending]) async {
        // One row per (user, type): the newest fix wins, as it would in the
        // table, and keeps the attributes of an earlier one when it has none
        // (as writing them one after the other would).
        var merged: [Key: LocationUpdate] = [:]
        for var update in batch.lazy.flatMap(\.updates) {
            let key = Key(userID: update.userID, type: update.type)
            if let existing = merged[key] {
                if existing.recordedAt > update.recordedAt { continue }
                if update.attributes == nil { update.attributes = existing.attributes }
            }
            merged[key] = update
        }
        do {
            // A fixed row order makes concurrent statements lock rows in the
            // same order, so overlapping batches wait for each other instead
            // of deadlocking.
            let ordered = merged
                .map { (key: (PointID($0.key.userID), $0.key.type.rawValue), update: $0.value) }
                .sorted { $0.key < $1.key }
                .map(\.update)
            let started = ContinuousClock.now
            metrics.batchRows.record(ordered.count)
            let stored = try await abandoning(after: batchBound) { [repository, outbox] in try await repository.upsert(ordered, outbox: outbox) }
            metrics.commitTime.record(duration: ContinuousClock.now - started)
            metrics.committed.increment(by: stored.count)
            onStored(stored)
            let byKey = Dictionary(stored.map { (Key(userID: $0.userID, type: $0.type), $0) }, uniquingKeysWith: { a, _ in a })
            for pending in batch {
                pending.continuation.resume(returning: pending.updates.compactMap { byKey[Key(userID: $0.userID, type: $0.type)] })
            }
        } catch {
            if error is WorkAbandoned { metrics.abandoned.increment() }
            for pending in batch { pending.continuation.resume(throwing: error) }
        }
        inFlight -= 1
        startFlushes()
        metrics.queued.record(queuedRows)
    }

    private struct Key: Hashable {
        let userID: UUID
        let type: LocationType
    }
}

/// The writer's figures for `/metrics`.
private struct WriterMetrics: Sendable {
    let committed = Counter(label: "wayline_position_writes_total")
    let batchRows = Recorder(label: "wayline_writer_batch_rows")
    let commitTime = Metrics.Timer(label: "wayline_writer_commit_duration_seconds")
    let shed = Counter(label: "wayline_writer_shed_total")
    let abandoned = Counter(label: "wayline_writer_abandoned_total")
    let queued = Gauge(label: "wayline_writer_queued_rows")
}

/// The writer's queue is full: the write was not taken.
public struct LocationWriterBusy: Error {
    public let queuedRows: Int
}
