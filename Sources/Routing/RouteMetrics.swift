import Metrics

/// `wayline_route_lookups_total` by where a leg was found, and the router's
/// query time. Handles are made once: the memory hit is W3's hot path.
struct RouteMetrics: Sendable {
    let memory = Counter(label: "wayline_route_lookups_total", dimensions: [("found", "memory")])
    let database = Counter(label: "wayline_route_lookups_total", dimensions: [("found", "database")])
    let computed = Counter(label: "wayline_route_lookups_total", dimensions: [("found", "computed")])
    let routerTime = Metrics.Timer(label: "wayline_router_query_duration_seconds", dimensions: [("query", "route")])
    let tableTime = Metrics.Timer(label: "wayline_router_query_duration_seconds", dimensions: [("query", "table")])
    let tableCells = Recorder(label: "wayline_table_cells")

    /// `work` timed into `timer`.
    func timed<T>(_ timer: Metrics.Timer, _ work: () throws -> T) rethrows -> T {
        let started = ContinuousClock.now
        defer { timer.record(duration: ContinuousClock.now - started) }
        return try work()
    }
}
