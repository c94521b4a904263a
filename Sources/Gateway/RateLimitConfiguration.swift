public import RateLimiting
internal import Yams

/// `config/rate-limits.yaml`: the policies, the store, and what to do when a shared store fails.
public struct RateLimitConfiguration: Sendable {
    public enum StoreKind: String, Sendable, Decodable {
        case memory, redis
    }

    public let store: StoreKind
    public let onStoreFailure: FallbackRateLimitStore.Mode
    public let policies: [RateLimitPolicy]

    public init(store: StoreKind = .memory, onStoreFailure: FallbackRateLimitStore.Mode = .local, policies: [RateLimitPolicy]) {
        self.store = store
        self.onStoreFailure = onStoreFailure
        self.policies = policies
    }

    public init(yaml: String) throws(GatewayConfigurationError) {
        struct Document: Decodable {
            let store: StoreKind?
            let onStoreFailure: FallbackRateLimitStore.Mode?
            let policies: [RateLimitPolicy]

            enum CodingKeys: String, CodingKey {
                case store, policies
                case onStoreFailure = "on_store_failure"
            }
        }
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw GatewayConfigurationError(message: "rate limits file: \(error)")
        }
        var problems = document.policies.flatMap(\.problems)
        if Set(document.policies.map(\.name)).count != document.policies.count { problems.append("policy names must be unique") }
        for policy in document.policies {
            for route in policy.routes where RouteSelector(route) == nil {
                problems.append("policy \(policy.name): route '\(route)' must look like 'POST /api/v1/users' or 'GET /api/v1/jobs/{id}'")
            }
        }
        guard problems.isEmpty else { throw GatewayConfigurationError(message: "rate limits file: " + problems.joined(separator: "; ")) }
        self.init(store: document.store ?? .memory, onStoreFailure: document.onStoreFailure ?? .local, policies: document.policies)
    }
}

/// `METHOD /route/template`, matching that method (or `*`) and exactly that route: each `{name}`
/// stands for one path segment, and nothing above or below the route matches.
struct RouteSelector: Sendable, Hashable {
    let method: String
    /// The template's segments; nil for a `{name}` placeholder.
    let segments: [String?]

    init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[1].hasPrefix("/") else { return nil }
        method = parts[0].uppercased()
        var segments: [String?] = []
        for segment in parts[1].split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2 {
                segments.append(nil)
            } else if segment.contains("{") || segment.contains("}") || segment.isEmpty {
                return nil
            } else {
                segments.append(String(segment))
            }
        }
        self.segments = segments
    }

    func matches(method: String, path requestPath: String) -> Bool {
        guard self.method == "*" || self.method == method else { return false }
        let parts = requestPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in segment.map { part == $0 } ?? !part.isEmpty }
    }
}
