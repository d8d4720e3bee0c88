import Foundation
import Storage
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `import-osm`'s progress: on a terminal, one bar redrawn in place with the
/// percentage, the stage and the time left; otherwise (a log, a pipe) a plain
/// line at each stage and at each tenth of the whole.
final class ImportProgressDisplay: Sendable {
    private struct State {
        var started = ContinuousClock.now
        var stage = 0
        var tenths = 0
        var drawn = false
    }

    private let terminal = isatty(STDOUT_FILENO) == 1
    private let state = Mutex(State())

    func show(_ progress: ImportProgress) {
        let line: String? = state.withLock { state in
            defer { state.stage = progress.stage }
            let percent = Int(progress.fraction * 100)
            let left = Self.timeLeft(elapsed: ContinuousClock.now - state.started, fraction: progress.fraction)
            if terminal {
                state.drawn = true
                let filled = Int(progress.fraction * 30)
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
                // \r and "erase line": the bar replaces itself.
                return "\r\u{1B}[2K[\(bar)] \(String(format: "%3d", percent))%  \(progress.stage)/\(ImportProgress.stages) \(progress.title)  \(left)"
            }
            let tenths = Int(progress.fraction * 10)
            guard progress.stage != state.stage || tenths > state.tenths else { return nil }
            state.tenths = tenths
            return "\(percent)%  \(progress.stage)/\(ImportProgress.stages) \(progress.title)  \(left)\n"
        }
        if let line { FileHandle.standardOutput.write(Data(line.utf8)) }
    }

    /// Ends the bar's line, so what is printed next starts on a line of its own.
    func finish() {
        if state.withLock({ $0.drawn }) { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }

    /// The time left at the pace so far (none before a second and a
    /// twentieth of the work), or the time taken once done.
    static func timeLeft(elapsed: Duration, fraction: Double) -> String {
        let seconds = elapsed.inSeconds
        guard fraction < 1 else { return String(format: "in %.1f s", seconds) }
        guard seconds >= 1, fraction >= 0.05 else { return "estimating time left" }
        let left = Int((seconds * (1 - fraction) / fraction).rounded(.up))
        return left < 60 ? "about \(left) s left" : "about \(left / 60) min \(left % 60) s left"
    }
}
