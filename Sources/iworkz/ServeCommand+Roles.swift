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
import Storage
import UnixSignals

/// `iworkz serve --role gateway|backend-api|matching-engine|ai-agent`: one role per process.
extension ServeCommand {
    /// What a role's start reads, every key checked before anything starts.
    struct Common {
        let listener: ListenerSettings
        let observability: ObservabilitySettings
        let dataDirectory: String
        let config: LoadedConfiguration
        let transport: InternalTransport
        let region: RegionID
        let topology: Topology?
        let issuer: String?
        let logger: Logger
    }

    /// Reads and checks the role's settings, each component its own keys; a bad or missing one stops
    /// the start with every problem found named in one message, not the first alone.
    func common(role: ServiceRole, settings: Settings) throws -> Common {
        let listener = ListenerSettings(settings)
        let observability = ObservabilitySettings(settings)
        var config: LoadedConfiguration?
        do {
            config = try ConfigLoading.load(explicit: settings.string("configDir"))
        } catch let failure as Failure {
            settings.add(failure.message)
        }
        if role == .gateway, var loaded = config {
            EdgeSettings(settings).apply(to: &loaded, settings: settings)
            config = loaded
        }
        if settings.bool("demo") == true {
            settings.add("--demo loads the all-in-one platform's sample data; a role starts with its own data only")
        }
        let dataDirectory = settings.string("dataDir") ?? "./iworkz-data"
        let transport = InternalTransportSettings(settings, dataDirectory: dataDirectory)
        let placement = RoleSettings(settings, role: role, config: config, allowPlainHTTP: transport.insecure)
        if let region = placement.region { transport.check(ServiceIdentity(region: region.rawValue, role: role), settings: settings) }
        let problems = settings.problems
        guard problems.isEmpty, let config, let region = placement.region else { throw Failure(problems.joined(separator: "; ")) }
        observability.bootstrapLogging()
        var logger = Logger(label: "iworkz")
        logger[metadataKey: "role"] = "\(role.rawValue)"
        if transport.insecure {
            logger.warning("internal TLS is off (--insecure-internal): roles talk plain HTTP and accept any caller; never do this in production")
        }
        return Common(listener: listener, observability: observability, dataDirectory: placement.dataDirectory,
                      config: config, transport: transport.transport, region: region, topology: placement.topology,
                      issuer: placement.issuer, logger: logger)
    }

    func serveBackendAPI(_ settings: Settings) async throws {
        let objects = ObjectStoreSettings(settings)
        let databases = DatabaseSettings(settings)
        let sessions = SessionSettings(settings)
        let common = try common(role: .backendAPI, settings: settings)
        let peers = (common.topology?.endpoints ?? [:]).compactMapValues { $0[.backendAPI] }
        let tracing = try common.observability.startTracing(role: "backend-api", region: common.region)
        let role: BackendAPIRole
        do {
            role = try await BackendAPIRole.start(config: common.config, region: common.region, dataDirectory: common.dataDirectory, peers: peers,
                                                  transport: common.transport, issuerURL: common.internalIssuer, objectStorage: objects.choice,
                                                  databases: databases.choice, sessions: sessions.choice, logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        let cell = role.cell
        try await run(role: role.identity, common: common, metrics: role.metrics, ready: { await cell.isReady() },
                      replicas: { cell.database.replicaStatuses() }, services: role.services + tracing,
                      listener: { host, port, running throws(PlatformError) in try role.application(host: host, port: port, onServerRunning: running) },
                      close: { await role.close() })
    }

    func serveMatchingEngine(_ settings: Settings) async throws {
        let common = try common(role: .matchingEngine, settings: settings)
        let backends = (common.topology?.endpoints ?? [:]).compactMapValues { $0[.backendAPI] }
        let tracing = try common.observability.startTracing(role: "matching-engine", region: common.region)
        let role: MatchingEngineRole
        do throws(PlatformError) {
            role = try MatchingEngineRole.start(config: common.config, region: common.region, backends: backends, transport: common.transport,
                                                issuerURL: common.internalIssuer, logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        try await run(role: role.identity, common: common, metrics: role.metrics, ready: { role.isReady }, services: role.services + tracing,
                      listener: { host, port, running throws(PlatformError) in try role.application(host: host, port: port, onServerRunning: running) },
                      close: { await role.close() })
    }

    func serveAIAgent(_ settings: Settings) async throws {
        let common = try common(role: .aiAgent, settings: settings)
        let backends = (common.topology?.endpoints ?? [:]).compactMapValues { $0[.backendAPI] }
        let tracing = try common.observability.startTracing(role: "ai-agent", region: common.region)
        let role: AIAgentRole
        do throws(PlatformError) {
            role = try AIAgentRole.start(config: common.config, region: common.region, backends: backends, transport: common.transport,
                                         issuerURL: common.internalIssuer, logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        try await run(role: role.identity, common: common, metrics: role.metrics, ready: { true }, services: tracing,
                      listener: { host, port, running throws(PlatformError) in try role.application(host: host, port: port, onServerRunning: running) },
                      close: { await role.close() })
    }

    /// Runs a role's internal listener, its operations listener and its services until SIGTERM or SIGINT.
    private func run(
        role identity: ServiceIdentity, common: Common, metrics: HTTPMetrics, ready: @escaping @Sendable () async -> Bool,
        replicas: @escaping @Sendable () -> [ReplicaStatus] = { [] }, services: [any Service],
        listener: (String, Int, @escaping @Sendable (Int) async -> Void) throws(PlatformError) -> any Service, close: () async -> Void
    ) async throws {
        MetricsSystem.bootstrap(metrics.factory)
        let logger = common.logger
        let (host, scheme, region) = (common.listener.host, common.transport.scheme, common.region)
        let application: any Service
        do throws(PlatformError) {
            application = try listener(host, common.listener.port) { bound in
                logger.info("iworkz listening", metadata: ["listen_url": "\(scheme)://\(host):\(bound)", "region": "\(region)"])
            }
        } catch {
            await close()
            throw Failure(error.message)
        }
        let operations = RoleOperationsListener.application(host: host, port: common.listener.opsPort, metrics: metrics, ready: ready,
                                                            replicas: replicas, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application, operations] + services,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await close()
        logger.info("iworkz stopped", metadata: ["role": "\(identity.role.rawValue)"])
    }

    func serveGateway(_ settings: Settings) async throws {
        let edge = EdgeSettings(settings)
        let common = try common(role: .gateway, settings: settings)
        guard let topology = common.topology else { return }
        let scheme = edge.tls == nil ? "http" : "https"
        let (host, port) = (common.listener.host, common.listener.port)
        let issuer = common.issuer ?? "\(scheme)://\(host):\(port)"
        let openAPI: String
        do throws(PlatformError) { openAPI = try ConfigDirectory.openAPIDocument() } catch { throw Failure(error.message) }
        let tracing = try common.observability.startTracing(role: "gateway", region: common.region)
        let role: GatewayRole
        do throws(PlatformError) {
            role = try GatewayRole.start(config: common.config, topology: topology, region: common.region, transport: common.transport,
                                         issuerURL: issuer, openAPI: openAPI, redisURL: edge.redisURL, logger: common.logger)
        } catch {
            throw Failure(error.message)
        }
        MetricsSystem.bootstrap(role.metrics.factory)
        let logger = common.logger
        let application = try role.application(host: host, port: port, tls: edge.tls) { bound in
            logger.info("iworkz listening", metadata: ["listen_url": "\(scheme)://\(host):\(bound)", "regions": "\(topology.endpoints.count)"])
        }
        let upstreams = role.upstreams
        let operations = RoleOperationsListener.application(
            host: host, port: common.listener.opsPort, metrics: role.metrics, ready: { upstreams.allSatisfy(\.hasEndpointInRotation) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application, operations] + role.services + tracing,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await role.close()
        logger.info("iworkz stopped")
    }
}

extension ServeCommand.Common {
    /// The issuer a role behind the gateway checks tokens for: the configured one, else its own URL.
    var internalIssuer: String { issuer ?? "http://\(listener.host):\(listener.port)" }
}
