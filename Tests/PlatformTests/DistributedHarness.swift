import AsyncHTTPClient
import Foundation
import Gateway
import Logging
import MutualTLS
import NIOCore
import NIOHTTP1
@testable import Platform
import ServiceLifecycle
import Sovereignty
import Synchronization
import TestSupport

/// A gateway and the backend-api, matching engine and agent of jp-tokyo and kr-seoul, each
/// backend-api with its own data folder, talking mTLS on loopback inside the test process — the
/// distributed shape without spawning processes.
struct DistributedHarness: Sendable {
    let gatewayURL: String
    let backends: [RegionID: BackendAPIRole]
    let engines: [RegionID: MatchingEngineRole]
    let client: HTTPClient

    static func with(_ body: (DistributedHarness) async throws -> Void) async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try RegionProcess.certificates(in: folder)
        let config = try LoadedConfiguration.load(from: PlatformHarness.configDirectory)
        let regions = [RegionID("jp-tokyo"), RegionID("kr-seoul")]
        var ports: [RegionID: Int] = [:]
        var enginePorts: [RegionID: Int] = [:]
        var agentPorts: [RegionID: Int] = [:]
        for region in regions {
            ports[region] = try await RegionProcess.freePort()
            enginePorts[region] = try await RegionProcess.freePort()
            agentPorts[region] = try await RegionProcess.freePort()
        }
        let peers = ports.mapValues { ["https://127.0.0.1:\($0)"] }
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let issuer = "https://iworkz.test"
        var backends: [RegionID: BackendAPIRole] = [:]
        var services: [any Service] = []
        for region in regions {
            let role = try await BackendAPIRole.start(
                config: config, region: region, dataDirectory: folder.appendingPathComponent(region.rawValue).path, peers: peers,
                transport: .mutualTLS(files), issuerURL: issuer, bcryptCost: 4, logger: quiet)
            backends[region] = role
            services += [try role.application(host: "127.0.0.1", port: ports[region]!)] + role.services
        }
        var engines: [RegionID: MatchingEngineRole] = [:]
        var agents: [AIAgentRole] = []
        for region in regions {
            let engine = try MatchingEngineRole.start(config: config, region: region, backends: peers, transport: .mutualTLS(files),
                                                      issuerURL: issuer, logger: quiet, pollInterval: .milliseconds(50))
            engines[region] = engine
            services += [try engine.application(host: "127.0.0.1", port: enginePorts[region]!)] + engine.services
            let agent = try AIAgentRole.start(config: config, region: region, backends: peers, transport: .mutualTLS(files), issuerURL: issuer,
                                              logger: quiet)
            agents.append(agent)
            services.append(try agent.application(host: "127.0.0.1", port: agentPorts[region]!))
        }
        let topology = try Topology(yaml: """
            upstream: { attempts: 2, health_check_seconds: 1 }
            regions:
            \(regions.map { region in
                let url = { (port: Int?) in "[https://127.0.0.1:\(port!)]" }
                return "  \(region): { backend-api: \(url(ports[region])), matching-engine: \(url(enginePorts[region])), ai-agent: \(url(agentPorts[region])) }"
            }.joined(separator: "\n"))
            """, catalog: config.catalog)
        let gateway = try GatewayRole.start(config: config, topology: topology, region: RegionID("jp-tokyo"), transport: .mutualTLS(files),
                                            issuerURL: issuer, openAPI: "", logger: quiet)
        let gatewayPort = Mutex(0)
        services.append(try gateway.application(host: "127.0.0.1", port: 0, tls: nil) { bound in gatewayPort.withLock { $0 = bound } })
        services += gateway.services
        let group = ServiceGroup(services: services, logger: quiet)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while gatewayPort.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let harness = DistributedHarness(gatewayURL: "http://127.0.0.1:\(gatewayPort.withLock { $0 })", backends: backends, engines: engines,
                                             client: client)
            do {
                try await harness.waitUntilReady()
                try await body(harness)
            } catch {
                await closeClients(of: backends, engines: engines, agents: agents, gateway: gateway)
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                try? await client.shutdown()
                await close(backends: backends, engines: engines, agents: agents, gateway: gateway)
                throw error
            }
            await closeClients(of: backends, engines: engines, agents: agents, gateway: gateway)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await client.shutdown()
        await close(backends: backends, engines: engines, agents: agents, gateway: gateway)
    }

    /// Closes every role's client first: a listener then has no idle TLS connection whose peer it
    /// would wait for (up to 5 s each) when it shuts down.
    private static func closeClients(of backends: [RegionID: BackendAPIRole], engines: [RegionID: MatchingEngineRole], agents: [AIAgentRole],
                                     gateway: GatewayRole) async {
        await gateway.close()
        for role in engines.values { await role.close() }
        for role in agents { await role.close() }
        for role in backends.values { try? await role.client.shutdown() }
    }

    private static func close(backends: [RegionID: BackendAPIRole], engines: [RegionID: MatchingEngineRole], agents: [AIAgentRole],
                              gateway: GatewayRole) async {
        for role in backends.values { await role.close() }
        for role in engines.values { await role.close() }
        for role in agents { await role.close() }
        await gateway.close()
    }

    private func waitUntilReady() async throws {
        for _ in 0..<200 {
            if let ready = try? await call(.GET, "/ready"), ready.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }

    /// A request through the gateway: status and the body parsed as a JSON object.
    func call(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, token: String? = nil,
              headers: [(String, String)] = []) async throws -> (status: Int, body: [String: Any]) {
        var request = HTTPClientRequest(url: gatewayURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), object)
    }

    /// Waits until a posting's copy reached `region`'s backend-api (replication runs in the background).
    func waitForCopy(of job: String, in region: RegionID) async throws {
        let id = try RegionalID.parse(job)
        for _ in 0..<200 {
            if try await backends[region]?.cell.jobs.find(id) != nil { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw HarnessError("posting \(job) did not reach \(region)")
    }

    /// Registers a person; their id and access token.
    func register(_ fields: [String: Any]) async throws -> (id: String, token: String) {
        let answer = try await call(.POST, "/api/v1/users", json: fields)
        guard answer.status == 201, let token = answer.body["access_token"] as? String,
              let id = (answer.body["user"] as? [String: Any])?["id"] as? String else {
            throw HarnessError("registration answered \(answer.status): \(answer.body)")
        }
        return (id, token)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
