internal import Yams

/// The gateway's routing rules (`config/routes.yaml`): which service answers which path prefix.
public struct RouteTable: Sendable {
    /// One rule: `path` is a prefix pattern ending in `/*`, or an exact path.
    public struct Rule: Sendable, Hashable, Decodable {
        public let path: String
        public let service: String
        /// `geo-routing`: served by the cell the request concerns; the only mode so far.
        public let region: String
        /// The scope a token must carry, by HTTP method (`GET: jobs:read`); `*` for any other method.
        /// A request without a token is not checked here: the service decides whether it needs one.
        public let scopes: [String: String]?

        public init(path: String, service: String, region: String, scopes: [String: String]? = nil) {
            self.path = path
            self.service = service
            self.region = region
            self.scopes = scopes
        }

        /// The scope required for a method, if any.
        public func requiredScope(for method: String) -> String? {
            scopes?[method.uppercased()] ?? scopes?["*"]
        }

        /// Whether the rule covers a request path.
        public func matches(_ requestPath: String) -> Bool {
            if path.hasSuffix("/*") {
                let prefix = String(path.dropLast(2))
                return requestPath == prefix || requestPath.hasPrefix(prefix + "/")
            }
            return requestPath == path
        }
    }

    public let rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// Parses `routes.yaml`.
    public init(yaml: String) throws(GatewayConfigurationError) {
        struct Document: Decodable { let routes: [Rule] }
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw GatewayConfigurationError(message: "routes file: \(error)")
        }
        var problems: [String] = []
        for rule in document.routes {
            if !rule.path.hasPrefix("/") { problems.append("route \(rule.path) must start with /") }
            if rule.region != "geo-routing" { problems.append("route \(rule.path): region must be geo-routing") }
        }
        guard problems.isEmpty else { throw GatewayConfigurationError(message: "routes file: " + problems.joined(separator: "; ")) }
        self.init(rules: document.routes)
    }

    /// The first rule covering the path.
    public func rule(for path: String) -> Rule? {
        rules.first { $0.matches(path) }
    }
}

public struct GatewayConfigurationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
