import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who started the cluster: `owner.pid` in the data directory holds the
/// process id of the Wayline process that did and stops it again. A cluster
/// whose owner no longer runs was left behind by a process killed outright;
/// the next one takes it over rather than leave it running unowned.
extension EmbeddedPostgres {
    var ownerFile: String { dataDirectory + "/owner.pid" }

    /// Records this process as the one that stops the cluster.
    public func recordOwner() {
        try? "\(getpid())\n".write(toFile: ownerFile, atomically: true, encoding: .utf8)
    }

    /// Whether a recorded owner exists and has exited (a cluster started by
    /// hand, with no owner recorded, is not taken over).
    public func ownerIsGone() -> Bool {
        guard let text = try? String(contentsOfFile: ownerFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return false }
        return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }
}
