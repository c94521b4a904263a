/// The method and path templates the cells serve, so the gateway can tell "no such endpoint" (404)
/// from "endpoint exists, wrong method" (405 with `Allow`).
public struct EndpointTemplates: Sendable {
    private let templates: [(method: String, segments: [Substring])]

    public init(_ endpoints: [(method: String, path: String)]) {
        templates = endpoints.map { ($0.method, $0.path.split(separator: "/")) }
    }

    /// The methods allowed on a concrete path, sorted; empty when no template matches.
    public func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return Set(templates.filter { Self.matches($0.segments, segments) }.map(\.method)).sorted()
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        template.count == path.count && zip(template, path).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
        }
    }
}
