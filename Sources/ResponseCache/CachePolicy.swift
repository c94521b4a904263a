public import Foundation
internal import Crypto

/// Reads `Cache-Control` the way a shared cache must (RFC 9111): `no-store` and `private` are never
/// stored; `s-maxage` wins over `max-age`; without either nothing is stored. `stale-if-error`
/// (RFC 5861) lets an expired response stand in while the origin fails.
public struct CacheControl: Sendable, Equatable {
    public let noStore: Bool
    public let isPrivate: Bool
    public let noCache: Bool
    public let maxAge: Int?
    public let sharedMaxAge: Int?
    public let staleIfError: Int?

    public init(_ header: String?) {
        var noStore = false, isPrivate = false, noCache = false
        var maxAge: Int?, sharedMaxAge: Int?, staleIfError: Int?
        for directive in (header ?? "").lowercased().split(separator: ",") {
            // Plain ASCII trimming: Foundation's goes through UTF-16 and showed in the gateway's profile.
            let parts = Self.trimmed(directive, dropping: " \t").split(separator: "=", maxSplits: 1)
            let name = parts.first.map(String.init) ?? ""
            let value = parts.count == 2 ? Int(Self.trimmed(parts[1], dropping: "\" \t")) : nil
            switch name {
            case "no-store": noStore = true
            case "private": isPrivate = true
            case "no-cache": noCache = true
            case "max-age": maxAge = value
            case "s-maxage": sharedMaxAge = value
            case "stale-if-error": staleIfError = value
            default: break
            }
        }
        self.noStore = noStore
        self.isPrivate = isPrivate
        self.noCache = noCache
        self.maxAge = maxAge
        self.sharedMaxAge = sharedMaxAge
        self.staleIfError = staleIfError
    }

    static func trimmed(_ text: Substring, dropping characters: String) -> Substring {
        let start = text.firstIndex { !characters.contains($0) } ?? text.endIndex
        let end = text.lastIndex { !characters.contains($0) }.map { text.index(after: $0) } ?? start
        return text[start..<max(start, end)]
    }

    /// Seconds a shared cache may keep the response; nil when it must not store it.
    public var sharedLifetime: Int? {
        guard !noStore, !isPrivate, !noCache else { return nil }
        guard let seconds = sharedMaxAge ?? maxAge, seconds > 0 else { return nil }
        return seconds
    }
}

/// A strong validator from the body bytes: the first 128 bits of their SHA-256.
public enum EntityTag {
    public static func of(_ body: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\"")]
        text.reserveCapacity(34)
        for byte in SHA256.hash(data: body).prefix(16) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        text.append(UInt8(ascii: "\""))
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether an `If-None-Match` header matches the tag (weak comparison, as RFC 9110 §13.1.2 asks).
    public static func matches(_ header: String?, _ tag: String) -> Bool {
        guard let header else { return false }
        if header.trimmingCharacters(in: .whitespaces) == "*" { return true }
        let opaque = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
        return header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return (trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed) == opaque
        }
    }
}
