import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Raises the soft limit on open files to the hard limit: each client
/// connection holds a descriptor, and the usual soft limit of 1,024 would
/// refuse connections long before the server runs short of anything else.
enum FileDescriptorLimit {
    static func raise(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        let before = limit.rlim_cur
        limit.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            logger.debug("raised the open-file limit", metadata: ["limit.before": "\(before)", "limit.now": "\(limit.rlim_cur)"])
        }
    }
}
