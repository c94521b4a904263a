internal import Foundation
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
        /// The largest request body the route accepts (the gateway default when nil).
        public let maxBodyBytes: Int?
        /// Media types of binary uploads the route takes (documents): their bodies skip the firewall's
        /// text signatures, and the service checks their bytes instead.
        public let binaryBodyTypes: [String]?

        public init(path: String, service: String, region: String, scopes: [String: String]? = nil, maxBodyBytes: Int? = nil,
                    binaryBodyTypes: [String]? = nil) {
            self.path = path
            self.service = service
            self.region = region
            self.scopes = scopes
            self.maxBodyBytes = maxBodyBytes
            self.binaryBodyTypes = binaryBodyTypes
        }

        enum CodingKeys: String, CodingKey {
            case path, service, region, scopes
            case maxBodyBytes = "max_body_bytes"
            case binaryBodyTypes = "binary_body_types"
        }

        /// Whether a request's body is one of the route's binary upload types.
        public func takesBinaryBody(contentType: String?) -> Bool {
            guard let binaryBodyTypes, let contentType,
                  let media = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
            return binaryBodyTypes.contains(media)
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
            if let limit = rule.maxBodyBytes, !(1...(100 * 1024 * 1024)).contains(limit) {
                problems.append("route \(rule.path): max_body_bytes must be between 1 and 104857600")
            }
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
