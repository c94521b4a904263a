/// A role of the platform, as processes run it.
public enum ServiceRole: String, Sendable, Hashable, CaseIterable, Codable {
    case gateway
    /// Users, jobs, the authorization server, transfers and documents of one region.
    case backendAPI = "backend-api"
    case matchingEngine = "matching-engine"
    case aiAgent = "ai-agent"
}

/// Who a process is: a role of a region. Carried in its certificate's subject alternative names as
/// the URI `spiffe://iworkz/<region>/<role>` (and the DNS name `<role>.<region>.iworkz.internal`), so
/// that a peer is authorised by what the platform's CA vouched for, never by an address.
public struct ServiceIdentity: Sendable, Hashable, CustomStringConvertible {
    public let region: String
    public let role: ServiceRole

    public init(region: String, role: ServiceRole) {
        self.region = region
        self.role = role
    }

    static let scheme = "spiffe://iworkz/"

    /// The identity's URI name.
    public var uri: String { Self.scheme + region + "/" + role.rawValue }
    /// The identity's DNS name (for tools that show DNS names only).
    public var dnsName: String { "\(role.rawValue).\(region).iworkz.internal" }
    public var description: String { "\(region)/\(role.rawValue)" }

    /// Parses a URI name of this form; nil for any other.
    public init?(uri: String) {
        guard uri.hasPrefix(Self.scheme) else { return nil }
        let parts = uri.dropFirst(Self.scheme.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isRegion(parts[0]), let role = ServiceRole(rawValue: String(parts[1])) else { return nil }
        self.init(region: String(parts[0]), role: role)
    }

    /// Parses ``description`` (`<region>/<role>`, as ``PeerIdentityGate/callerHeader`` carries it).
    public init?(description: String) {
        self.init(uri: Self.scheme + description)
    }

    /// Region ids are lower-case letters, digits and hyphens (`jp-tokyo`, `eu-west-1`).
    static func isRegion(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.count <= 63
            && text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
    }
}
