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

/// `iworkz serve --role gateway|backend-api|matching-engine|ai-agent`: one role per process.
extension ServeCommand {
    /// What a role's start reads, every key checked before anything starts.
    struct Common {
        let settings: Settings
        let host: String
        let port: Int
        let opsPort: Int
        let dataDirectory: String
        let config: LoadedConfiguration
        let transport: InternalTransport
        let region: RegionID
        let topology: Topology?
        let logger: Logger
    }

    /// Reads and checks the role's settings; a bad or missing one stops the start with every problem
    /// found named in one message, not the first alone.
    func common(role: ServiceRole) throws -> Common {
        let settings = Settings()
        var problems: [String] = []
        let host = host ?? settings.string("host") ?? "127.0.0.1"
        let port = port ?? settings.int("port") ?? 8000
        if !(0...65535).contains(port) { problems.append("port must be between 0 and 65535") }
        let opsPort = opsPort ?? settings.int("opsPort") ?? 9464
        if !(0...65535).contains(opsPort) { problems.append("ops port must be between 0 and 65535") }
        if opsPort == port, port != 0 { problems.append("the ops port must differ from the port") }
        let levelName = logLevel ?? settings.string("logLevel") ?? "info"
        let level = Logger.Level(rawValue: levelName.lowercased())
        if level == nil { problems.append("log level \(levelName.prefix(20)) is not one of trace, debug, info, notice, warning, error, critical") }
        let dataDirectory = dataDirectory ?? settings.string("dataDir") ?? "./iworkz-data"
        var config: LoadedConfiguration?
        do { config = try ConfigLoading.load(self.config) } catch let failure as Failure { problems.append(failure.message) }
        if var loaded = config {
            // The gateway's limits, as all-in-one takes them.
            loaded.limits.maxInFlightRequests = maxInFlight ?? settings.int("maxInFlight") ?? loaded.limits.maxInFlightRequests
            loaded.limits.maxConnectionsPerAddress = maxConnectionsPerAddress ?? settings.int("maxConnectionsPerAddress")
                ?? loaded.limits.maxConnectionsPerAddress
            problems += loaded.limits.problems
            config = loaded
        }
        if demo || settings.bool("demo") == true { problems.append("--demo loads the all-in-one platform's sample data; a role starts with its own data only") }

        let insecure = insecureInternal || settings.bool("insecureInternal") == true
        let files = (certificatesDirectory ?? settings.string("certsDir")).map { CertificateFiles(directory: URL(fileURLWithPath: $0)) }
            ?? CertificateFiles(dataDirectory: URL(fileURLWithPath: dataDirectory))
        var region: RegionID?
        var topology: Topology?
        if let config {
            region = regionOption(config, settings: settings, role: role, problems: &problems)
            topology = loadTopology(config, settings: settings, allowPlainHTTP: insecure, role: role, problems: &problems)
            if !insecure, let region {
                let identity = ServiceIdentity(region: region.rawValue, role: role)
                let missing = [files.caCertificate, files.paths(for: identity).certificate, files.paths(for: identity).key]
                    .filter { !FileManager.default.fileExists(atPath: $0.path) }
                    .map { $0.path.hasPrefix(files.directory.path + "/") ? String($0.path.dropFirst(files.directory.path.count + 1)) : $0.path }
                if !missing.isEmpty {
                    problems.append("no certificate for \(identity) in \(files.directory.path): \(missing.joined(separator: ", ")) missing (run `iworkz certs init`, or --insecure-internal)")
                }
            }
        }
        guard problems.isEmpty, let config, let region, let level else { throw Failure(problems.joined(separator: "; ")) }
        bootstrapLogging(level)
        var logger = Logger(label: "iworkz")
        logger[metadataKey: "role"] = "\(role.rawValue)"
        if insecure {
            logger.warning("internal TLS is off (--insecure-internal): roles talk plain HTTP and accept any caller; never do this in production")
        }
        return Common(settings: settings, host: host, port: port, opsPort: opsPort, dataDirectory: dataDirectory, config: config,
                      transport: insecure ? .insecure : .mutualTLS(files), region: region, topology: topology, logger: logger)
    }

    /// The topology: the gateway, the matching engine and the agent need it (whom they call, whose keys
    /// sign tokens); a backend-api alone may run without peers.
    private func loadTopology(_ config: LoadedConfiguration, settings: Settings, allowPlainHTTP: Bool, role: ServiceRole,
                              problems: inout [String]) -> Topology? {
        guard let path = topology ?? settings.string("topology") else {
            if role != .backendAPI { problems.append("--role \(role.rawValue) needs --topology (where each region's roles listen)") }
            return nil
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            problems.append("cannot read the topology file \(path)")
            return nil
        }
        do {
            return try Topology(yaml: text, catalog: config.catalog, allowPlainHTTP: allowPlainHTTP)
        } catch {
            problems.append("\(path): \(error.description)")
            return nil
        }
    }

    private func regionOption(_ config: LoadedConfiguration, settings: Settings, role: ServiceRole, problems: inout [String]) -> RegionID? {
        guard let name = region ?? settings.string("region") else {
            if role != .gateway { problems.append("--role \(role.rawValue) needs --region") }
            return config.catalog.regions.first { $0.role == .primary }?.id ?? config.catalog.regions.first?.id
        }
        guard config.catalog.region(RegionID(name)) != nil else {
            problems.append("region \(name.prefix(40)) is not in regions.yaml")
            return nil
        }
        return RegionID(name)
    }

    func serveBackendAPI() async throws {
        let common = try common(role: .backendAPI)
        let region = common.region
        let peers = (common.topology?.endpoints ?? [:]).compactMapValues { $0[.backendAPI] }
        let issuer = issuer ?? common.settings.string("issuer") ?? "http://\(common.host):\(common.port)"
        let tracing = try startTracing(common.settings, role: "backend-api", region: region)
        let role: BackendAPIRole
        do {
            role = try await BackendAPIRole.start(config: common.config, region: region, dataDirectory: common.dataDirectory, peers: peers,
                                                  transport: common.transport, issuerURL: issuer, logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        let cell = role.cell
        try await run(role: role.identity, common: common, metrics: role.metrics, ready: { await cell.isReady() }, services: role.services + tracing,
                      listener: { host, port, running throws(PlatformError) in try role.application(host: host, port: port, onServerRunning: running) },
                      close: { await role.close() })
    }

    func serveMatchingEngine() async throws {
        let common = try common(role: .matchingEngine)
        let backends = (common.topology?.endpoints ?? [:]).compactMapValues { $0[.backendAPI] }
        let issuer = issuer ?? common.settings.string("issuer") ?? "http://\(common.host):\(common.port)"
        let tracing = try startTracing(common.settings, role: "matching-engine", region: common.region)
        let role: MatchingEngineRole
        do throws(PlatformError) {
            role = try MatchingEngineRole.start(config: common.config, region: common.region, backends: backends, transport: common.transport,
                                                issuerURL: issuer, logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        try await run(role: role.identity, common: common, metrics: role.metrics, ready: { role.isReady }, services: role.services + tracing,
                      listener: { host, port, running throws(PlatformError) in try role.application(host: host, port: port, onServerRunning: running) },
                      close: { await role.close() })
    }

    func serveAIAgent() async throws {
        let common = try common(role: .aiAgent)
        let backends = (common.topology?.endpoints ?? [:]).compactMapValues { $0[.backendAPI] }
        let issuer = issuer ?? common.settings.string("issuer") ?? "http://\(common.host):\(common.port)"
        let tracing = try startTracing(common.settings, role: "ai-agent", region: common.region)
        let role: AIAgentRole
        do throws(PlatformError) {
            role = try AIAgentRole.start(config: common.config, region: common.region, backends: backends, transport: common.transport,
                                         issuerURL: issuer, logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        try await run(role: role.identity, common: common, metrics: role.metrics, ready: { true }, services: tracing,
                      listener: { host, port, running throws(PlatformError) in try role.application(host: host, port: port, onServerRunning: running) },
                      close: { await role.close() })
    }

    /// Runs a role's internal listener, its operations listener and its services until SIGTERM or SIGINT.
    private func run(
        role identity: ServiceIdentity, common: Common, metrics: HTTPMetrics, ready: @escaping @Sendable () async -> Bool, services: [any Service],
        listener: (String, Int, @escaping @Sendable (Int) async -> Void) throws(PlatformError) -> any Service, close: () async -> Void
    ) async throws {
        MetricsSystem.bootstrap(metrics.factory)
        let logger = common.logger
        let (host, scheme, region) = (common.host, common.transport.scheme, common.region)
        let application: any Service
        do throws(PlatformError) {
            application = try listener(host, common.port) { bound in
                logger.info("iworkz listening", metadata: ["listen_url": "\(scheme)://\(host):\(bound)", "region": "\(region)"])
            }
        } catch {
            await close()
            throw Failure(error.message)
        }
        let operations = RoleOperationsListener.application(host: host, port: common.opsPort, metrics: metrics, ready: ready, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application, operations] + services,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await close()
        logger.info("iworkz stopped", metadata: ["role": "\(identity.role.rawValue)"])
    }

    func serveGateway() async throws {
        let common = try common(role: .gateway)
        let region = common.region
        guard let topology = common.topology else { return }
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
            host: host, port: common.opsPort, metrics: role.metrics, ready: { upstreams.allSatisfy(\.hasEndpointInRotation) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application, operations] + role.services + tracing,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await role.close()
        logger.info("iworkz stopped")
    }

    /// One JSON object per log line on standard output, from `level` up.
    func bootstrapLogging(_ level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// The `--log-level` (or `IWORKZ_LOG_LEVEL`) as a level.
    func logLevel(_ settings: Settings) throws -> Logger.Level {
        let name = logLevel ?? settings.string("logLevel") ?? "info"
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            throw ValidationError("log level \(name.prefix(20)) is not one of trace, debug, info, notice, warning, error, critical")
        }
        return level
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
