public import Sovereignty
internal import Foundation
internal import Yams
public import MutualTLS

/// Where each role of each region runs (`config/topology.yaml`), for a gateway in front of processes:
///
/// ```yaml
/// upstream: { connect_timeout_ms: 2000, request_timeout_ms: 30000, attempts: 2,
///             eject_after_failures: 3, ejection_seconds: 30, health_check_seconds: 5 }
/// regions:
///   jp-tokyo:
///     backend-api: [https://10.0.1.10:8443, https://10.0.1.11:8443]
///     matching-engine: [https://10.0.1.20:8443]
///     ai-agent: [https://10.0.1.30:8443]
/// ```
///
/// Every region must be one of `regions.yaml` and name all three roles, every endpoint an
/// `https://` base URL (plain `http://` only when internal TLS is explicitly off). Problems are
/// reported together.
public struct Topology: Sendable {
    public let endpoints: [RegionID: [ServiceRole: [String]]]
    public let settings: UpstreamSettings

    public init(yaml: String, catalog: RegionCatalog, allowPlainHTTP: Bool = false) throws(TopologyError) {
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw TopologyError(problems: ["topology file: \(YAMLErrorText.describe(error))"])
        }
        var problems: [String] = []
        var endpoints: [RegionID: [ServiceRole: [String]]] = [:]
        for (name, roles) in document.regions.sorted(by: { $0.key < $1.key }) {
            let region = RegionID(name)
            guard catalog.region(region) != nil else {
                problems.append("region \(name.prefix(40)) is not in regions.yaml")
                continue
            }
            for (roleName, urls) in roles.sorted(by: { $0.key < $1.key }) {
                guard let role = ServiceRole(rawValue: roleName), role != .gateway else {
                    problems.append("\(name): unknown role \(roleName.prefix(40)) (backend-api, matching-engine or ai-agent)")
                    continue
                }
                if urls.isEmpty { problems.append("\(name) \(roleName): no endpoint") }
                for url in urls where !Self.isEndpoint(url, allowPlainHTTP: allowPlainHTTP) {
                    problems.append("\(name) \(roleName): \(url.prefix(80)) is not an \(allowPlainHTTP ? "http(s)" : "https")://host:port base URL")
                }
                endpoints[region, default: [:]][role] = urls
            }
            for role in [ServiceRole.backendAPI, .matchingEngine, .aiAgent] where endpoints[region]?[role] == nil {
                problems.append("\(name): no \(role.rawValue) endpoint")
            }
        }
        if document.regions.isEmpty { problems.append("no region") }
        var settings = UpstreamSettings()
        if let upstream = document.upstream {
            func positive(_ value: Int?, _ key: String) -> Int? {
                guard let value else { return nil }
                if value <= 0 { problems.append("upstream.\(key) must be a positive whole number") }
                return value > 0 ? value : nil
            }
            if let value = positive(upstream.connectTimeoutMs, "connect_timeout_ms") { settings.connectTimeout = .milliseconds(value) }
            if let value = positive(upstream.requestTimeoutMs, "request_timeout_ms") { settings.requestTimeout = .milliseconds(value) }
            if let value = positive(upstream.attempts, "attempts") { settings.attempts = value }
            if let value = positive(upstream.ejectAfterFailures, "eject_after_failures") { settings.ejectAfterFailures = value }
            if let value = positive(upstream.ejectionSeconds, "ejection_seconds") { settings.ejectionDuration = .seconds(value) }
            if let value = positive(upstream.healthCheckSeconds, "health_check_seconds") { settings.healthCheckInterval = .seconds(value) }
        }
        guard problems.isEmpty else { throw TopologyError(problems: problems) }
        self.endpoints = endpoints
        self.settings = settings
    }

    /// A base URL: scheme, host and port, no path, query or credentials.
    static func isEndpoint(_ text: String, allowPlainHTTP: Bool) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme, url.host != nil, url.port != nil,
              url.user == nil, url.query == nil, url.path.isEmpty || url.path == "/" else { return false }
        return scheme == "https" || (allowPlainHTTP && scheme == "http")
    }

    private struct Document: Decodable {
        struct Upstream: Decodable {
            let connectTimeoutMs: Int?
            let requestTimeoutMs: Int?
            let attempts: Int?
            let ejectAfterFailures: Int?
            let ejectionSeconds: Int?
            let healthCheckSeconds: Int?

            enum CodingKeys: String, CodingKey {
                case attempts
                case connectTimeoutMs = "connect_timeout_ms"
                case requestTimeoutMs = "request_timeout_ms"
                case ejectAfterFailures = "eject_after_failures"
                case ejectionSeconds = "ejection_seconds"
                case healthCheckSeconds = "health_check_seconds"
            }
        }

        let upstream: Upstream?
        let regions: [String: [String: [String]]]
    }
}

/// A topology file that cannot be used, with every problem found.
public struct TopologyError: Error, CustomStringConvertible, Sendable {
    public let problems: [String]
    public var description: String { problems.joined(separator: "; ") }
}
