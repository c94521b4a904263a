public import ServiceLifecycle
internal import Foundation
internal import Logging
internal import OTel
internal import Tracing

/// Distributed tracing for one process: spans exported over OTLP/HTTP to a collector, sampled by
/// trace id (parent-based, so a trace is kept or dropped whole across processes).
///
/// Tracing is on when an endpoint is configured — `--otlp-endpoint` / `IWORKZ_OTLP_ENDPOINT`, or the
/// standard `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` — and off otherwise
/// (every span is then a no-op). The other standard `OTEL_*` variables (protocol, headers, sampler,
/// batch settings) apply on top, as the OpenTelemetry specification says.
public enum TracingBootstrap {
    public struct Settings: Sendable {
        /// The collector's OTLP/HTTP base URL, e.g. `http://otel-collector:4318`.
        public var endpoint: String?
        /// The share of traces kept: the seed's 1 % in production, 100 % in staging.
        public var sampleRatio: Double
        /// `iworkz-gateway`, `iworkz-backend-api`, …
        public var serviceName: String
        /// Resource attributes: the region and role, never anything about a person.
        public var resource: [String: String]
        /// OTLP/HTTP with JSON bodies instead of protobuf (for collectors and tests that read JSON).
        public var json = false
        /// How long spans wait to be sent in a batch.
        public var exportDelay: Duration = .seconds(5)
        /// Spans waiting to be sent beyond which new ones are dropped.
        public var queueSize = 2048

        public init(endpoint: String?, sampleRatio: Double = 0.01, serviceName: String, resource: [String: String] = [:]) {
            self.endpoint = endpoint
            self.sampleRatio = sampleRatio
            self.serviceName = serviceName
            self.resource = resource
        }

        /// Whether an endpoint is configured here or in the standard variables.
        public func isEnabled(environment: [String: String]? = nil) -> Bool {
            let environment = environment ?? ProcessInfo.processInfo.environment
            return endpoint != nil || environment["OTEL_EXPORTER_OTLP_ENDPOINT"] != nil || environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] != nil
        }
    }

    /// A problem with the tracing settings.
    public struct SettingsError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Bootstraps the process-wide tracer and returns the exporter's service (run it beside the
    /// servers: it sends batches and flushes at shutdown), or nil when tracing is off. Call once.
    public static func bootstrap(_ settings: Settings) throws(SettingsError) -> (any Service)? {
        guard settings.isEnabled() else { return nil }
        guard settings.sampleRatio >= 0, settings.sampleRatio <= 1, let sampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration
            .parentBasedTraceIDRatio(ratio: settings.sampleRatio) else {
            throw SettingsError(description: "the trace sample ratio must be between 0 and 1")
        }
        if let endpoint = settings.endpoint, URL(string: endpoint)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw SettingsError(description: "the OTLP endpoint \(endpoint.prefix(80)) is not an http(s) URL")
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName
        configuration.resourceAttributes = settings.resource
        configuration.diagnosticLogLevel = .warning
        configuration.traces.sampler = sampler
        configuration.traces.batchSpanProcessor.scheduleDelay = settings.exportDelay
        configuration.traces.batchSpanProcessor.maxQueueSize = settings.queueSize
        configuration.traces.batchSpanProcessor.maxExportBatchSize = min(settings.queueSize, 512)
        if let endpoint = settings.endpoint {
            configuration.traces.otlpExporter.endpoint = endpoint.hasSuffix("/v1/traces") ? endpoint
                : (endpoint.hasSuffix("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces")
        }
        if settings.json { configuration.traces.otlpExporter.protocol = .httpJSON }
        let backend: (factory: any Tracer, service: any Service)
        do {
            let made = try OTel.makeTracingBackend(configuration: configuration)
            backend = (made.factory, made.service)
        } catch {
            throw SettingsError(description: "tracing cannot start: \(error)")
        }
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }
}
