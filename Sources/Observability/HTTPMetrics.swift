public import Prometheus

/// HTTP server metrics under OpenTelemetry semantic-convention names, exported by `/metrics`.
///
/// `http_server_request_duration_seconds` is the Prometheus form of `http.server.request.duration`;
/// labels are the route template (never a raw path, which could carry ids), method, status and region.
public final class HTTPMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Buckets of the OTel recommendation for `http.server.request.duration`.
    static let buckets: [Duration] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
        .map { Duration.nanoseconds(Int64($0 * 1_000_000_000)) }

    public init(registry: PrometheusCollectorRegistry = .init()) {
        self.registry = registry
    }

    /// Records one finished request.
    public func record(route: String, method: String, status: Int, region: String, duration: Duration) {
        let labels = [
            ("http_route", route), ("http_request_method", method),
            ("http_response_status_code", String(status)), ("iworkz_region", region),
        ]
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "http_server_request_duration", unitName: "seconds",
                              helpText: "Duration of HTTP server requests (OTel http.server.request.duration)."),
            labels: labels, buckets: Self.buckets
        ).record(duration)
        registry.makeCounter(
            descriptor: .init(metricName: "http_server_requests", unitName: "total",
                              helpText: "HTTP server requests by route, method, status and region."),
            labels: labels
        ).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        registry.emitToString()
    }
}
