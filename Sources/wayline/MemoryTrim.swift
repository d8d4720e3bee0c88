import Logging
import ServiceLifecycle
import Storage

/// glibc's `int malloc_trim(size_t pad)`: not in the Glibc module's headers.
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32

/// Returns freed heap memory to the system every few seconds (glibc's
/// `malloc_trim`). glibc keeps what a burst of connections freed in its
/// arenas, so without this resident memory stayed at its peak: 54 MB before
/// 1,000 slow connections, 71 MB after they had all closed (chaos scenario 7).
enum MemoryTrim {
    static func job(logger: Logger) -> PeriodicJob {
        PeriodicJob("memory trim", every: .seconds(5), onShutdown: false, logger: logger) {
            _ = mallocTrim(0)
        }
    }
}
