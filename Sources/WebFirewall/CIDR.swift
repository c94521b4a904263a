internal import Foundation

/// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped into ::ffff:0:0/96).
public struct IPAddress: Equatable, Sendable {
    public let bytes: [UInt8]

    public init?(_ text: String) {
        if text.contains(":") {
            guard let parsed = Self.parseIPv6(text) else { return nil }
            bytes = parsed
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var octets: [UInt8] = []
            for part in parts {
                guard !part.isEmpty, part.count <= 3, let value = UInt8(part) else { return nil }
                octets.append(value)
            }
            bytes = Array(repeating: 0, count: 10) + [0xFF, 0xFF] + octets
        }
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]), let tail = halves.count == 2 ? groups(halves[1]) : [] else { return nil }
        let missing = 8 - head.count - tail.count
        guard halves.count == 2 ? missing >= 1 : missing == 0 else { return nil }
        let all = head + Array(repeating: 0, count: halves.count == 2 ? missing : 0) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

/// An address block such as `10.0.0.0/8` or `2001:db8::/32`; a bare address is a /32 or /128.
public struct CIDR: Sendable {
    let network: IPAddress
    /// Prefix length in the 128-bit space.
    let prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let isIPv4 = !parts[0].contains(":")
        let maximum = isIPv4 ? 32 : 128
        let length = parts.count == 2 ? Int(parts[1]) : maximum
        guard let length, (0...maximum).contains(length) else { return nil }
        network = address
        prefix = isIPv4 ? length + 96 : length
    }

    public func contains(_ address: IPAddress) -> Bool {
        var remaining = prefix
        for index in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if network.bytes[index] & mask != address.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }
}
