public import CoreMetrics
public import Prometheus

/// The process's metrics backend: swift-metrics into a Prometheus registry,
/// with each metric's help text from `MetricCatalog`.
///
/// swift-prometheus's own factory passes no help text through swift-metrics,
/// and `promtool check metrics` reports every metric without one; its
/// registry also refuses a second help text for a name, so help cannot be
/// added beside it. This factory differs from it in that alone, and hands
/// everything else (storage, exposition, removal) to the registry.
public struct PrometheusExport: MetricsFactory {
    public let registry = PrometheusCollectorRegistry()
    private let base: PrometheusMetricsFactory

    public init() {
        base = PrometheusMetricsFactory(registry: registry)
    }

    /// The exposition, in Prometheus's text format 0.0.4.
    public func render() -> [UInt8] {
        registry.emitToBuffer()
    }

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: MetricCatalog.help[label] ?? "")
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        let buckets = MetricCatalog.valueBuckets[label] ?? base.defaultValueHistogramBuckets
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions, buckets: buckets)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(descriptor: descriptor(label), labels: dimensions, buckets: MetricCatalog.durationBuckets)
    }

    public func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { base.destroyFloatingPointCounter(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { base.destroyTimer(handler) }
}
