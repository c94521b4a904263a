import ArgumentParser
import Foundation
import Gateway
import Logging
import Metrics
import Observability
import Platform
import ServiceLifecycle
import UnixSignals

/// `iworkz serve`: the gateway and every regional cell in one process, or one role of one region.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the platform: all-in-one, or one role of one region (--role).",
        discussion: """
            Without --role, one process runs the API gateway and one cell per region: each cell keeps \
            its people in its own SQLite database under the data folder (<data-dir>/cells/<region>.sqlite); \
            public job postings are replicated to every cell.

            With --role backend-api --region X, the process runs region X's cell alone, on an internal \
            listener the gateway calls over mTLS (certificates from `iworkz certs init`); the other \
            regions' backend-api, for replication, applications and candidate cards, come from --topology. \
            With --role matching-engine or --role ai-agent and --region X, it runs that region's matching \
            engine (which follows its backend-api's catalog) or agent. With --role gateway --topology FILE, \
            the process runs the gateway in front of them all.

            The configuration is checked against the transfer rules first; an unlawful backup region \
            stops the start. SIGINT or SIGTERM shuts down gracefully.
            """
    )

    @Option(help: ArgumentHelp("gateway, backend-api, matching-engine or ai-agent: run one role (env IWORKZ_ROLE; default: all-in-one).", valueName: "role"))
    var role: String?

    @Option(help: ArgumentHelp("The region whose role this process runs; for the gateway, the region it runs in (env IWORKZ_REGION).",
                               valueName: "region"))
    var region: String?

    @Option(help: ArgumentHelp("Where each role of each region listens (env IWORKZ_TOPOLOGY), e.g. config/topology.yaml.", valueName: "path"))
    var topology: String?

    @Option(name: .customLong("certs-dir"),
            help: ArgumentHelp("Certificates for mTLS between roles (env IWORKZ_CERTS_DIR; default <data-dir>/certs).", valueName: "path"))
    var certificatesDirectory: String?

    @Flag(name: .customLong("insecure-internal"),
          help: "Roles talk plain HTTP and do not authenticate callers (env IWORKZ_INSECURE_INTERNAL=true). Never in production.")
    var insecureInternal = false

    @Option(help: ArgumentHelp("The public URL tokens name as their issuer, the same for every process (env IWORKZ_ISSUER; default this listener's URL).",
                               valueName: "url"))
    var issuer: String?

    @Option(help: ArgumentHelp("Address to listen on (env IWORKZ_HOST).", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on, 0 for any free port (env IWORKZ_PORT).", valueName: "port"))
    var port: Int?

    @Option(name: .customLong("ops-port"),
            help: ArgumentHelp("Port of the operations listener: /metrics, /health, /ready, on the same address (env IWORKZ_OPS_PORT; default 9464, 0 for any free port).", valueName: "port"))
    var opsPort: Int?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data folder (env IWORKZ_DATA_DIR).", valueName: "path"))
    var dataDirectory: String?

    @Option(name: .customLong("redis-url"),
            help: ArgumentHelp("redis://host:port shared by replicas: rate limits, response cache, real-time match events (env IWORKZ_REDIS_URL; channel prefix IWORKZ_REDIS_NAMESPACE, default iworkz).", valueName: "url"))
    var redisURL: String?

    @Option(name: .customLong("max-in-flight"),
            help: ArgumentHelp("Requests in progress before the gateway sheds load with 503 (env IWORKZ_MAX_IN_FLIGHT; default from server.yaml).",
                               valueName: "count"))
    var maxInFlight: Int?

    @Option(name: .customLong("max-connections-per-address"),
            help: ArgumentHelp("Open connections one client address may hold (env IWORKZ_MAX_CONNECTIONS_PER_ADDRESS; default from server.yaml).",
                               valueName: "count"))
    var maxConnectionsPerAddress: Int?

    @Option(name: .customLong("tls-cert"),
            help: ArgumentHelp("PEM certificate chain: serve HTTPS (TLS 1.3, HSTS) instead of HTTP (env IWORKZ_TLS_CERT; needs --tls-key).",
                               valueName: "path"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key of --tls-cert (env IWORKZ_TLS_KEY).", valueName: "path"))
    var tlsKey: String?

    @Option(name: .customLong("otlp-endpoint"),
            help: ArgumentHelp("Export trace spans over OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318 (env IWORKZ_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT; off when unset).",
                               valueName: "url"))
    var otlpEndpoint: String?

    @Option(name: .customLong("trace-sample-ratio"),
            help: ArgumentHelp("Share of traces kept, 0 to 1 (env IWORKZ_TRACE_SAMPLE_RATIO; default 0.01, the seed's production rate; 1 for staging).",
                               valueName: "ratio"))
    var traceSampleRatio: Double?

    @Option(name: .customLong("object-store"),
            help: ArgumentHelp("Where documents go: folder (default) or s3://BUCKET, {region} standing for each region's id (env IWORKZ_OBJECT_STORE; credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).",
                               valueName: "url"))
    var objectStore: String?

    @Option(name: .customLong("s3-endpoint"),
            help: ArgumentHelp("The S3 service's base URL (env IWORKZ_S3_ENDPOINT or AWS_ENDPOINT_URL_S3; default AWS's).", valueName: "url"))
    var s3Endpoint: String?

    @Option(name: .customLong("s3-region"), help: ArgumentHelp("The S3 service's region (env IWORKZ_S3_REGION or AWS_REGION; default us-east-1).",
                                                               valueName: "region"))
    var s3Region: String?

    @Option(name: .customLong("s3-location"),
            help: ArgumentHelp("Where the S3 service keeps data, as regions.yaml names regions and locations, checked against each region's data residency (env IWORKZ_S3_LOCATION; default: the S3 region on AWS, undeclared for another endpoint).",
                               valueName: "place"))
    var s3Location: String?

    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("Where records go: unset for SQLite files in the data folder, or postgres://USER@HOST:PORT/NAME?sslmode=…, {region} in NAME standing for each region's id with _ for - (env IWORKZ_DATABASE_URL).",
                               valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("sessions-redis-url"),
            help: ArgumentHelp("Each region's own Redis for sign-in sessions (authorization codes, refresh-token families): redis:// or rediss://, several hosts for a cluster, {region} standing for the region's id; unset keeps them in the database (env IWORKZ_SESSIONS_REDIS_URL).",
                               valueName: "url"))
    var sessionsRedisURL: String?

    @Option(name: .customLong("database-replica-urls"),
            help: ArgumentHelp("Read replicas of the database, comma-separated, same form as --database-url; reads go to one under --max-replica-lag (env IWORKZ_DATABASE_REPLICA_URLS).",
                               valueName: "urls"))
    var databaseReplicaURLs: String?

    @Option(name: .customLong("max-replica-lag"),
            help: ArgumentHelp("Seconds a replica may lag and still serve reads (env IWORKZ_MAX_REPLICA_LAG; default 5).", valueName: "seconds"))
    var maxReplicaLag: Double?

    @Flag(name: .customLong("create-database"), help: "Create a region's PostgreSQL database when the server lacks it (env IWORKZ_CREATE_DATABASE=true).")
    var createDatabase = false

    @Option(name: .customLong("migrate-at-start"),
            help: ArgumentHelp("false: refuse to start on a database that lacks migrations, which `iworkz migrate` applies (env IWORKZ_MIGRATE_AT_START; default true).",
                               valueName: "true|false"))
    var migrateAtStart: Bool?

    @Option(name: .customLong("settings"),
            help: ArgumentHelp("A YAML file of settings with these options' names in camel case, e.g. `port: 8443`, below the flags and the environment (env IWORKZ_SETTINGS).",
                               valueName: "path"))
    var settingsFile: String?

    @Option(name: .customLong("log-level"),
            help: ArgumentHelp("Lowest level logged: trace, debug, info, notice, warning, error or critical (env IWORKZ_LOG_LEVEL; default info).",
                               valueName: "level"))
    var logLevel: String?

    @Flag(help: "Load sample employers, jobs and workers in several regions (env IWORKZ_DEMO=true).")
    var demo = false

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        try await Self.reportingFailures {
            let settings = try await Settings.load(flags: flagSettings)
            switch settings.string("role") {
            case nil: try await serve(settings)
            case "gateway": try await serveGateway(settings)
            case "backend-api": try await serveBackendAPI(settings)
            case "matching-engine": try await serveMatchingEngine(settings)
            case "ai-agent": try await serveAIAgent(settings)
            case let other?: throw ValidationError("unknown role \(other.prefix(40)): gateway, backend-api, matching-engine or ai-agent")
            }
        }
    }

    /// The values given on the command line, by settings key: the first layer of ``Settings``.
    var flagSettings: [String: String] {
        var flags: [String: String] = [:]
        let given: [(String, (any CustomStringConvertible)?)] = [
            ("role", role), ("region", region), ("topology", topology), ("certsDir", certificatesDirectory), ("issuer", issuer),
            ("host", host), ("port", port), ("opsPort", opsPort), ("dataDir", dataDirectory), ("configDir", config.configDirectory),
            ("redisUrl", redisURL), ("maxInFlight", maxInFlight), ("maxConnectionsPerAddress", maxConnectionsPerAddress),
            ("tlsCert", tlsCertificate), ("tlsKey", tlsKey), ("otlpEndpoint", otlpEndpoint), ("traceSampleRatio", traceSampleRatio),
            ("logLevel", logLevel), ("settings", settingsFile), ("objectStore", objectStore), ("s3Endpoint", s3Endpoint), ("s3Region", s3Region), ("s3Location", s3Location),
            ("databaseUrl", databaseURL), ("migrateAtStart", migrateAtStart), ("sessionsRedisUrl", sessionsRedisURL),
            ("databaseReplicaUrls", databaseReplicaURLs), ("maxReplicaLag", maxReplicaLag),
        ]
        for (key, value) in given { if let value { flags[key] = value.description } }
        if insecureInternal { flags["insecureInternal"] = "true" }
        if demo { flags["demo"] = "true" }
        if createDatabase { flags["createDatabase"] = "true" }
        return flags
    }

    private func serve(_ settings: Settings) async throws {
        let listener = ListenerSettings(settings)
        let observability = ObservabilitySettings(settings)
        let edge = EdgeSettings(settings)
        let objects = ObjectStoreSettings(settings)
        let databases = DatabaseSettings(settings)
        let sessions = SessionSettings(settings)
        let dataDirectory = settings.string("dataDir") ?? "./iworkz-data"
        let issuerSetting = settings.string("issuer")
        let loadsDemo = settings.bool("demo") == true
        var loaded: LoadedConfiguration?
        do {
            loaded = try ConfigLoading.load(explicit: settings.string("configDir"))
        } catch let failure as Failure {
            settings.add(failure.message)
        }
        if var config = loaded {
            edge.apply(to: &config, settings: settings)
            loaded = config
        }
        guard settings.problems.isEmpty, let loaded else { throw Failure(settings.problems.joined(separator: "; ")) }
        observability.bootstrapLogging()
        var logger = Logger(label: "iworkz")
        logger[metadataKey: "role"] = "all-in-one"
        let (host, port, opsPort, tls) = (listener.host, listener.port, listener.opsPort, edge.tls)
        let scheme = tls == nil ? "http" : "https"
        let tracing = try observability.startTracing(role: "all-in-one", region: nil)
        let platform: Platform
        do {
            platform = try await Platform.start(
                config: loaded, dataDirectory: dataDirectory, openAPI: try ConfigDirectory.openAPIDocument(), redisURL: edge.redisURL,
                issuerURL: issuerSetting ?? "\(scheme)://\(host):\(port)", logger: logger, redisNamespace: edge.redisNamespace,
                objectStorage: objects.choice, databases: databases.choice, sessions: sessions.choice)
        } catch let error as PlatformError {
            throw Failure(error.message)
        }
        MetricsSystem.bootstrap(platform.metrics.factory)
        if loadsDemo {
            let summary = try await DemoData.load(into: platform)
            logger.info("demo data loaded", metadata: ["demo_users": "\(summary.users)", "demo_jobs": "\(summary.jobs)"])
        }
        let runningLogger = logger
        let announce: @Sendable (Int) async -> Void = { bound in
            runningLogger.info("iworkz listening", metadata: ["listen_url": "\(scheme)://\(host):\(bound)", "cells": "\(platform.cells.count)"])
        }
        let application: any Service = if let tls {
            try platform.secureApplication(host: host, port: port, tls: tls, onServerRunning: announce)
        } else {
            platform.application(host: host, port: port, onServerRunning: announce)
        }
        let operations = platform.operationsApplication(host: host, port: opsPort) { bound in
            runningLogger.info("operations listener", metadata: ["listen_url": "http://\(host):\(bound)", "paths": "/metrics /health /ready"])
        }
        let group = ServiceGroup(
            configuration: .init(services: [application, operations] + platform.services + tracing, gracefulShutdownSignals: [.sigterm, .sigint],
                                 logger: logger))
        try await group.run()
        await platform.close()
        logger.info("iworkz stopped")
    }
}
