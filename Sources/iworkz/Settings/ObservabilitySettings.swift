import Logging
import Observability
import ServiceLifecycle
import Sovereignty

/// Logs and traces. Keys:
/// - `logLevel`: the lowest level logged, `trace` … `critical` (default `info`);
/// - `otlpEndpoint`: the OTLP/HTTP collector spans go to (tracing is off without it, unless the
///   standard `OTEL_EXPORTER_OTLP_ENDPOINT` is set);
/// - `traceSampleRatio`: the share of traces kept, 0 to 1 (default 0.01, the seed's production rate);
/// - `otlpProtocol`: `http/protobuf` (default) or `http/json`.
struct ObservabilitySettings {
    let logLevel: Logger.Level
    let otlpEndpoint: String?
    let traceSampleRatio: Double
    let json: Bool

    init(_ settings: Settings) {
        let name = settings.string("logLevel") ?? "info"
        if let level = Logger.Level(rawValue: name.lowercased()) {
            logLevel = level
        } else {
            settings.problem("logLevel", "must be one of trace, debug, info, notice, warning, error, critical, not \(name.prefix(20))")
            logLevel = .info
        }
        otlpEndpoint = settings.string("otlpEndpoint")
        traceSampleRatio = settings.double("traceSampleRatio", in: 0...1) ?? 0.01
        switch settings.string("otlpProtocol") ?? "http/protobuf" {
        case "http/protobuf": json = false
        case "http/json": json = true
        case let other:
            settings.problem("otlpProtocol", "must be http/protobuf or http/json, not \(other.prefix(20))")
            json = false
        }
    }

    /// One JSON object per log line on standard output, from the level up.
    func bootstrapLogging() {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Bootstraps tracing when an endpoint is configured: the exporter's service, or none.
    func startTracing(role: String, region: RegionID?) throws -> [any Service] {
        var tracing = TracingBootstrap.Settings(
            endpoint: otlpEndpoint, sampleRatio: traceSampleRatio, serviceName: "iworkz-\(role)",
            resource: ["service.namespace": "iworkz"].merging(region.map { ["cloud.region": $0.rawValue] } ?? [:]) { first, _ in first })
        tracing.json = json
        do throws(TracingBootstrap.SettingsError) {
            return try TracingBootstrap.bootstrap(tracing).map { [$0] } ?? []
        } catch {
            throw Failure(error.description)
        }
    }
}
