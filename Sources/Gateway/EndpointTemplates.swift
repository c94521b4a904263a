/// The method and path templates the process serves, so the gateway can tell "no such endpoint" (404)
/// from "endpoint exists, wrong method" (405 with `Allow`), and ask for a token (401) before it looks
/// at anything else of a request to an endpoint that needs one.
public struct EndpointTemplates: Sendable {
    private let templates: [(method: String, path: String, segments: [Substring])]
    private let anonymous: [(method: String, segments: [Substring])]

    /// - Parameters:
    ///   - endpoints: every method and path template served.
    ///   - anonymous: those of them that answer without a bearer token.
    public init(_ endpoints: [(method: String, path: String)], anonymous: [(method: String, path: String)] = []) {
        templates = endpoints.map { ($0.method, $0.path, $0.path.split(separator: "/")) }
        self.anonymous = anonymous.map { ($0.method, $0.path.split(separator: "/")) }
    }

    /// Whether every endpoint matching the method and path needs a bearer token (false when none matches).
    public func requiresToken(method: String, path: String) -> Bool {
        let segments = path.split(separator: "/")
        let served = templates.contains { $0.method == method && Self.matches($0.segments, segments) }
        return served && !anonymous.contains { $0.method == method && Self.matches($0.segments, segments) }
    }

    /// The methods allowed on a concrete path, sorted; empty when no template matches.
    public func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return Set(templates.filter { Self.matches($0.segments, segments) }.map(\.method)).sorted()
    }

    /// The template a request matches (`/api/v1/users/{id}`), for metric labels that name no record.
    public func template(method: String, path: String) -> String? {
        let segments = path.split(separator: "/")
        return templates.first { $0.method == method && Self.matches($0.segments, segments) }?.path
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        template.count == path.count && zip(template, path).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
        }
    }
}
