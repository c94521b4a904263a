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

    /// Metric handles by label values, so a request does not look them up in the registry again.
    private let handles = Mutex<[String: (duration: CoreMetrics.Timer, requests: CoreMetrics.Counter)]>([:])

    /// Records one finished request.
    public func record(route: String, method: String, status: Int, region: String, duration: Duration) {
        let key = "\(route)\u{1F}\(method)\u{1F}\(status)\u{1F}\(region)"
        let handle = handles.withLock { handles in
            if let existing = handles[key] { return existing }
            let dimensions = [
                ("http_route", route), ("http_request_method", method),
                ("http_response_status_code", String(status)), ("iworkz_region", region),
            ]
            let created = (CoreMetrics.Timer(label: Self.durationName, dimensions: dimensions, factory: factory),
                           CoreMetrics.Counter(label: Self.requestsName, dimensions: dimensions, factory: factory))
            handles[key] = created
            return created
        }
        handle.duration.record(duration: duration)
        handle.requests.increment()
    }

    /// Counts a request refused because its credentials failed, by reason (never by token).
    public func recordAuthFailure(reason: String) {
        Counter(label: "iworkz_auth_failures_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// Counts a request the firewall refused, by rule id.
    public func recordFirewallBlock(rule: String) {
        Counter(label: "iworkz_waf_blocks_total", dimensions: [("rule", rule)], factory: factory).increment()
    }

    /// Counts response-cache outcomes: hit, miss, invalidated.
    public func recordCache(result: String) {
        Counter(label: "iworkz_cache_requests_total", dimensions: [("result", result)], factory: factory).increment()
    }

    /// Counts a request shed because too many were in progress.
    public func recordShed() {
        Counter(label: "iworkz_shed_requests_total", dimensions: [], factory: factory).increment()
    }

    /// Counts a connection closed because its client sent a request head or body too slowly.
    public func recordSlowClient(phase: String) {
        Counter(label: "iworkz_slow_client_closes_total", dimensions: [("phase", phase)], factory: factory).increment()
    }

    /// Counts a request refused by a rate-limit policy.
    public func recordRateLimitRejection(policy: String) {
        Counter(label: "iworkz_ratelimit_rejections_total", dimensions: [("policy", policy)], factory: factory).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        registry.emitToString()
    }
}
