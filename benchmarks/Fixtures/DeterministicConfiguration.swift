public import Benchmark

extension Benchmark.Configuration {
    /// What every in-process suite measures, and what CI gates on: the
    /// deterministic metrics (malloc count, instructions where the CPU exposes
    /// them), never wall clock. A suite runs as many iterations as fit in a
    /// second, and some carry state from one iteration to the next (drivers
    /// keep moving), so which iteration lands at p90 depends on the host's
    /// speed: there the malloc count moved by 2 between runs of the same code.
    /// That much is allowed; an allocation added per item or per call in a
    /// loop is far more.
    public static func wayline(warmupIterations: Int, maxIterations: Int) -> Benchmark.Configuration {
        .init(
            metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal],
            warmupIterations: warmupIterations,
            maxDuration: .seconds(1),
            maxIterations: maxIterations,
            thresholds: [
                .instructions: .init(relative: [.p90: 5]),
                .mallocCountTotal: .init(absolute: [.p90: 2]),
            ]
        )
    }
}
