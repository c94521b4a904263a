internal import Metrics
internal import CoreMetrics
internal import Synchronization
public import Prometheus

/// HTTP server metrics under OpenTelemetry semantic-convention names, recorded through the
/// swift-metrics API and exported by `/metrics` in Prometheus text format.
///
/// `http_server_request_duration_seconds` is the Prometheus form of `http.server.request.duration`;
/// labels are the route template (never a raw path, which could carry ids), method, status and region.
public final class HTTPMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// The factory the process may also bootstrap `MetricsSystem` with, so library metrics land here too.
    public let factory: PrometheusMetricsFactory

    static let durationName = "http_server_request_duration_seconds"
    static let requestsName = "http_server_requests_total"

    /// Buckets of the OTel recommendation for `http.server.request.duration`, in seconds.
    static let buckets: [Duration] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
        .map { Duration.nanoseconds(Int64($0 * 1_000_000_000)) }

    public init(registry: PrometheusCollectorRegistry = .init()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.durationName] = Self.buckets
        self.factory = factory
    }

    /// The labels of one kind of request; handles are kept per label set, so a request neither builds
    /// a label string nor looks its metrics up in the registry again.
    private struct RequestLabels: Hashable {
        let route: String
        let method: String
        let status: Int
        let region: String
    }

    private let handles = Mutex<[RequestLabels: (duration: CoreMetrics.Timer, requests: CoreMetrics.Counter)]>([:])
    /// Counters with one label, by metric name and label value, made once each.
    private let counters = Mutex<[String: [String: CoreMetrics.Counter]]>([:])

    /// Records one finished request.
    public func record(route: String, method: String, status: Int, region: String, duration: Duration) {
        let labels = RequestLabels(route: route, method: method, status: status, region: region)
        let handle = handles.withLock { handles in
            if let existing = handles[labels] { return existing }
            let dimensions = [
                ("http_route", route), ("http_request_method", method),
                ("http_response_status_code", String(status)), ("iworkz_region", region),
            ]
            let created = (CoreMetrics.Timer(label: Self.durationName, dimensions: dimensions, factory: factory),
                           CoreMetrics.Counter(label: Self.requestsName, dimensions: dimensions, factory: factory))
            handles[labels] = created
            return created
        }
        handle.duration.record(duration: duration)
        handle.requests.increment()
    }

    /// The counter `name` with `label` set to `value` (no label when `label` is nil), made on first use.
    private func counter(_ name: String, _ label: String?, _ value: String) -> CoreMetrics.Counter {
        counters.withLock { counters in
            if let existing = counters[name]?[value] { return existing }
            let created = CoreMetrics.Counter(label: name, dimensions: label.map { [($0, value)] } ?? [], factory: factory)
            counters[name, default: [:]][value] = created
            return created
        }
    }

    /// Counts a request refused because its credentials failed, by reason (never by token).
    public func recordAuthFailure(reason: String) {
        counter("iworkz_auth_failures_total", "reason", reason).increment()
    }

    /// Counts a request the firewall refused, by rule id.
    public func recordFirewallBlock(rule: String) {
        counter("iworkz_waf_blocks_total", "rule", rule).increment()
    }

    /// Counts response-cache outcomes: hit, miss, invalidated.
    public func recordCache(result: String) {
        counter("iworkz_cache_requests_total", "result", result).increment()
    }

    /// Counts a request shed because too many were in progress.
    public func recordShed() {
        counter("iworkz_shed_requests_total", nil, "").increment()
    }

    /// Counts a connection closed because its client sent a request head or body too slowly.
    public func recordSlowClient(phase: String) {
        counter("iworkz_slow_client_closes_total", "phase", phase).increment()
    }

    /// Counts a request refused by a rate-limit policy.
    public func recordRateLimitRejection(policy: String) {
        counter("iworkz_ratelimit_rejections_total", "policy", policy).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        registry.emitToString()
    }
}
