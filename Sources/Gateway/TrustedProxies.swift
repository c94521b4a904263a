public import HTTPTypes
public import WebFirewall

/// The load balancers and CDNs in front of the gateway (`trusted_proxies` in `server.yaml`, address
/// blocks such as CloudFlare's and the ALB's subnets).
///
/// Only on a connection from one of them are `CF-Connecting-IP` and `X-Forwarded-For` taken as the
/// client's address (for rate limits and IP lists) and `CF-IPCountry` as the client's country (for
/// routing); from anyone else these headers are ignored, since anyone can send them.
public struct TrustedProxies: Sendable {
    private let blocks: [CIDR]

    public init(_ entries: [String]) throws(GatewayConfigurationError) {
        var blocks: [CIDR] = []
        for entry in entries {
            guard let block = CIDR(entry) else { throw GatewayConfigurationError(message: "trusted_proxies: '\(entry)' is not an IP or CIDR") }
            blocks.append(block)
        }
        self.blocks = blocks
    }

    public var isEmpty: Bool { blocks.isEmpty }

    public func trusts(_ address: String?) -> Bool {
        guard !blocks.isEmpty, let address, let ip = IPAddress(address) else { return false }
        return blocks.contains { $0.contains(ip) }
    }

    /// The client's address: the peer's own, or — when the peer is trusted — the address it forwards
    /// for: `CF-Connecting-IP`, else the right-most `X-Forwarded-For` entry that is not itself a
    /// trusted proxy. A malformed entry ends the walk, keeping the last address vouched for.
    public func clientAddress(peer: String?, headers: HTTPFields) -> String? {
        guard trusts(peer) else { return peer }
        if let connecting = headers[.cfConnectingIP]?.trimmingSpaces, IPAddress(connecting) != nil { return connecting }
        var client = peer
        let forwarded = headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces }
        for hop in forwarded.reversed() {
            guard IPAddress(hop) != nil else { break }
            client = hop
            guard trusts(hop) else { break }
        }
        return client
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension HTTPField.Name {
    static let cfConnectingIP = HTTPField.Name("CF-Connecting-IP")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
