import ArgumentParser
import Foundation
import Gateway
import Logging
import Metrics
import MutualTLS
import Observability
import Platform
import ServiceLifecycle
import Sovereignty
import UnixSignals

/// `iworkz serve --role gateway` and `--role backend-api`: one role per process.
extension ServeCommand {
    /// What every role's start reads the same way.
    struct Common {
        let settings: Settings
        let host: String
        let port: Int
        let opsPort: Int
        let dataDirectory: String
        let config: LoadedConfiguration
        let transport: InternalTransport
        let logger: Logger
    }

    func common(role: ServiceRole) throws -> Common {
        let settings = Settings()
        try bootstrapLogging(settings)
        var logger = Logger(label: "iworkz")
        logger[metadataKey: "role"] = "\(role.rawValue)"
        let host = host ?? settings.string("host") ?? "127.0.0.1"
        let port = port ?? settings.int("port") ?? 8000
        guard (0...65535).contains(port) else { throw ValidationError("port must be between 0 and 65535") }
        let opsPort = opsPort ?? settings.int("opsPort") ?? 9464
        guard (0...65535).contains(opsPort) else { throw ValidationError("ops port must be between 0 and 65535") }
        guard opsPort != port || port == 0 else { throw ValidationError("the ops port must differ from the port") }
        let dataDirectory = dataDirectory ?? settings.string("dataDir") ?? "./iworkz-data"
        let config = try ConfigLoading.load(self.config)
        let transport: InternalTransport
        if insecureInternal || settings.bool("insecureInternal") == true {
            logger.warning("internal TLS is off (--insecure-internal): roles talk plain HTTP and accept any caller; never do this in production")
            transport = .insecure
        } else {
            let directory = certificatesDirectory ?? settings.string("certsDir")
            transport = .mutualTLS(directory.map { CertificateFiles(directory: URL(fileURLWithPath: $0)) }
                                   ?? CertificateFiles(dataDirectory: URL(fileURLWithPath: dataDirectory)))
        }
        return Common(settings: settings, host: host, port: port, opsPort: opsPort, dataDirectory: dataDirectory, config: config,
                      transport: transport, logger: logger)
    }

    func loadTopology(_ common: Common, required: Bool) throws -> Topology? {
        guard let path = topology ?? common.settings.string("topology") else {
            if required { throw ValidationError("--role gateway needs --topology (where each region's roles listen)") }
            return nil
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw Failure("cannot read the topology file \(path)") }
        do {
            if case .insecure = common.transport {
                return try Topology(yaml: text, catalog: common.config.catalog, allowPlainHTTP: true)
            }
            return try Topology(yaml: text, catalog: common.config.catalog)
        } catch {
            throw Failure("\(path): \(error.description)")
        }
    }

    func regionOption(_ common: Common, required: Bool) throws -> RegionID {
        guard let name = region ?? common.settings.string("region") else {
            if required { throw ValidationError("--role backend-api needs --region") }
            return common.config.catalog.regions.first { $0.role == .primary }?.id ?? common.config.catalog.regions[0].id
        }
        let id = RegionID(name)
        guard common.config.catalog.region(id) != nil else { throw ValidationError("region \(name.prefix(40)) is not in regions.yaml") }
        return id
    }

    func serveBackendAPI() async throws {
        let common = try common(role: .backendAPI)
        let region = try regionOption(common, required: true)
        let topology = try loadTopology(common, required: false)
        let peers = (topology?.endpoints ?? [:]).compactMapValues { $0[.backendAPI] }
        let issuer = issuer ?? common.settings.string("issuer") ?? "http://\(common.host):\(common.port)"
        let tracing = try startTracing(common.settings, role: "backend-api", region: region)
        let role: BackendAPIRole
        do {
            role = try await BackendAPIRole.start(config: common.config, region: region, dataDirectory: common.dataDirectory, peers: peers,
                                                  transport: common.transport, issuerURL: issuer, logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        MetricsSystem.bootstrap(role.metrics.factory)
        let logger = common.logger
        let (host, scheme) = (common.host, common.transport.scheme)
        let application: any Service
        do {
            application = try role.application(host: host, port: common.port) { bound in
                logger.info("iworkz listening", metadata: ["listen_url": "\(scheme)://\(host):\(bound)", "region": "\(region)"])
            }
        } catch {
            await role.close()
            throw Failure(error.message)
        }
        let cell = role.cell
        let operations = RoleOperationsListener.application(host: host, port: common.opsPort, metrics: role.metrics,
                                                            ready: { await cell.isReady() }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application, operations] + role.services + tracing,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await role.close()
        logger.info("iworkz stopped")
    }

    func serveGateway() async throws {
        let common = try common(role: .gateway)
        let region = try regionOption(common, required: false)
        guard let topology = try loadTopology(common, required: true) else { return }
        let tls = try edgeTLS(common.settings)
        let scheme = tls == nil ? "http" : "https"
        let issuer = issuer ?? common.settings.string("issuer") ?? "\(scheme)://\(common.host):\(common.port)"
        let openAPI: String
        do throws(PlatformError) { openAPI = try ConfigDirectory.openAPIDocument() } catch { throw Failure(error.message) }
        let tracing = try startTracing(common.settings, role: "gateway", region: region)
        let role: GatewayRole
        do throws(PlatformError) {
            role = try GatewayRole.start(config: common.config, topology: topology, region: region, transport: common.transport,
                                         issuerURL: issuer, openAPI: openAPI, redisURL: redisURL ?? common.settings.string("redisUrl"),
                                         logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        MetricsSystem.bootstrap(role.metrics.factory)
        let logger = common.logger
        let host = common.host
        let application = try role.application(host: host, port: common.port, tls: tls) { bound in
            logger.info("iworkz listening", metadata: ["listen_url": "\(scheme)://\(host):\(bound)", "regions": "\(topology.endpoints.count)"])
        }
        let upstreams = role.upstreams
        let operations = RoleOperationsListener.application(
            host: host, port: common.opsPort, metrics: role.metrics, ready: { upstreams.values.allSatisfy(\.hasEndpointInRotation) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application, operations] + role.services + tracing,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await role.close()
        logger.info("iworkz stopped")
    }

    /// One JSON object per log line on standard output, from the configured level up.
    func bootstrapLogging(_ settings: Settings) throws {
        let name = logLevel ?? settings.string("logLevel") ?? "info"
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            throw ValidationError("log level \(name.prefix(20)) is not one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Bootstraps tracing when an OTLP endpoint is configured: the exporter's service, or none.
    func startTracing(_ settings: Settings, role: String, region: RegionID?) throws -> [any Service] {
        var tracing = TracingBootstrap.Settings(
            endpoint: otlpEndpoint ?? settings.string("otlpEndpoint"), sampleRatio: traceSampleRatio ?? settings.double("traceSampleRatio") ?? 0.01,
            serviceName: "iworkz-\(role)", resource: ["service.namespace": "iworkz"].merging(region.map { ["cloud.region": $0.rawValue] } ?? [:]) { a, _ in a })
        tracing.json = settings.string("otlpProtocol") == "http/json"
        do throws(TracingBootstrap.SettingsError) {
            return try TracingBootstrap.bootstrap(tracing).map { [$0] } ?? []
        } catch {
            throw Failure(error.description)
        }
    }

    /// The edge certificate (`--tls-cert`, `--tls-key`), if one is configured.
    func edgeTLS(_ settings: Settings) throws -> EdgeTLS? {
        switch (tlsCertificate ?? settings.string("tlsCert"), tlsKey ?? settings.string("tlsKey")) {
        case (nil, nil): return nil
        case (let certificate?, let key?):
            do throws(PlatformError) { return try EdgeTLS(certificatePath: certificate, keyPath: key) } catch { throw Failure(error.message) }
        default: throw ValidationError("--tls-cert and --tls-key go together")
        }
    }
}
