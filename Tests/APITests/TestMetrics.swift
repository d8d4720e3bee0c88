import CoreMetrics
import Telemetry

/// The tests' metrics backend, bootstrapped as `serve` does, once per process
/// (swift-metrics allows one bootstrap): the first application built makes it.
enum TestMetrics {
    static let export: PrometheusExport = {
        let export = PrometheusExport()
        MetricsSystem.bootstrap(export)
        return export
    }()
}
