public import Benchmark

extension Benchmark.Configuration {
    /// What every in-process suite measures, and what CI gates on: the
    /// deterministic metrics (malloc count, instructions where the CPU exposes
    /// them), never wall clock.
    public static func wayline(warmupIterations: Int, maxIterations: Int) -> Benchmark.Configuration {
        .init(
            metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal],
            warmupIterations: warmupIterations,
            maxDuration: .seconds(1),
            maxIterations: maxIterations,
            thresholds: [
                .instructions: .init(relative: [.p90: 5]),
                .mallocCountTotal: .init(absolute: [.p90: 0]),
            ]
        )
    }
}
