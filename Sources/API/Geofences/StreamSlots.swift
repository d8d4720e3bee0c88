import Synchronization

/// Open event streams per subject, bounded: a quiet stream reads the feed
/// ten times a second, so without a bound one token could hold the database
/// as busy as it liked. A slot is held by a `Lease` and given back when the
/// lease goes, whether the stream ran to its end or its response was never
/// written.
final class StreamSlots: Sendable {
    let perSubject: Int
    private let open = Mutex<[String: Int]>([:])

    init(perSubject: Int) {
        self.perSubject = perSubject
    }

    final class Lease: Sendable {
        private let slots: StreamSlots
        private let subject: String

        fileprivate init(_ slots: StreamSlots, _ subject: String) {
            self.slots = slots
            self.subject = subject
        }

        deinit { slots.release(subject) }
    }

    /// A slot of `subject`'s, or nil when all of them are taken.
    func take(_ subject: String) -> Lease? {
        let taken = open.withLock { open in
            guard open[subject, default: 0] < perSubject else { return false }
            open[subject, default: 0] += 1
            return true
        }
        return taken ? Lease(self, subject) : nil
    }

    private func release(_ subject: String) {
        open.withLock { open in
            open[subject, default: 1] -= 1
            if open[subject] == 0 { open[subject] = nil }
        }
    }
}
