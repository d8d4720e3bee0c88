import Logging
import ServiceLifecycle
import Storage

/// glibc's `int malloc_trim(size_t pad)` and `int mallopt(int, int)`: not in the Glibc module's headers.
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// Returns freed heap memory to the system every few seconds (glibc's
/// `malloc_trim`). glibc keeps what a burst of connections freed in its
/// arenas, so without this resident memory stayed at its peak: 54 MB before
/// 1,000 slow connections, 71 MB after they had all closed (chaos scenario 7).
enum MemoryTrim {
    /// Two malloc arenas instead of glibc's eight per core: under the soak's
    /// mixed traffic resident memory kept climbing for four minutes before it
    /// levelled off at 102 MB with the default, and levelled off after two
    /// at 96 MB with two (each thread that allocates gets an arena, and each
    /// arena keeps its own free memory). Allocation stays per-thread cached (tcache).
    static func limitArenas() {
        let arenaMaximum: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        _ = mallopt(arenaMaximum, 2)
    }

    static func job(logger: Logger) -> PeriodicJob {
        PeriodicJob("memory trim", every: .seconds(5), onShutdown: false, logger: logger) {
            _ = mallocTrim(0)
        }
    }
}
