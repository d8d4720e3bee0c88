import Metrics

/// `wayline_job_runs_total` and `wayline_job_duration_seconds` for one run of a job.
enum JobMetrics {
    static func record(_ job: String, succeeded: Bool, since started: ContinuousClock.Instant) {
        Counter(label: "wayline_job_runs_total", dimensions: [("job", job), ("outcome", succeeded ? "ok" : "failed")]).increment()
        Metrics.Timer(label: "wayline_job_duration_seconds", dimensions: [("job", job)]).record(duration: ContinuousClock.now - started)
    }
}
