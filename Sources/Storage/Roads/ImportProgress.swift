import Foundation

/// How far `wayline import-osm` is: its stage and the share of the whole
/// import done. osmium's share is measured by what it has read of the
/// extract (twice: once to find the ways' nodes, once to copy them); the
/// stage weights are from imports of the test extracts.
public struct ImportProgress: Sendable, Equatable {
    public static let stages = 4
    /// 1...`stages`.
    public let stage: Int
    public let title: String
    /// Of the whole import, 0...1.
    public let fraction: Double

    /// Where each stage starts in the whole; the last ends at 1.
    static let stageStarts: [Double] = [0, 0.25, 0.6, 0.97]

    static func start(of stage: Int, _ title: String) -> ImportProgress {
        ImportProgress(stage: stage, title: title, fraction: stageStarts[stage - 1])
    }

    /// The import has ended: the new network is live.
    static let done = ImportProgress(stage: stages, title: "done", fraction: 1)

    /// This stage with `share` of it done (kept below its end until the stage ends).
    func advanced(to share: Double) -> ImportProgress {
        let end = stage < Self.stages ? Self.stageStarts[stage] : 1
        let start = Self.stageStarts[stage - 1]
        return ImportProgress(stage: stage, title: title, fraction: start + (end - start) * min(max(share, 0), 0.99))
    }

    /// The share of its input a tool has read, reading it `passes` times:
    /// `rchar` of /proc/PID/io (Linux; nil elsewhere or once it is gone).
    static func shareRead(by pid: pid_t, of bytes: Int, passes: Int) -> Double? {
        guard bytes > 0, let io = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8),
              let line = io.split(separator: "\n").first(where: { $0.hasPrefix("rchar:") }),
              let read = Double(line.dropFirst("rchar:".count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return read / Double(bytes * passes)
    }
}
