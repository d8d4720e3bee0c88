import Synchronization

/// What inner responders learn about a request that the outermost one
/// reports after the response: who it spoke for. Shared by reference, since
/// each responder passes the context on as a copy of its own.
final class RequestNotes: Sendable {
    private let subjectBox = Mutex<String?>(nil)

    /// The token's subject (`sub`), once verified.
    var subject: String? {
        get { subjectBox.withLock { $0 } }
        set { subjectBox.withLock { $0 = newValue } }
    }
}
