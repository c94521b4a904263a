public import Crypto
public import Foundation
public import Sovereignty

/// Development bearer tokens until the OAuth2 server lands: `iwz1.<claims>.<HMAC-SHA256>`, with the
/// claims `sub`, `role`, `rgn` and `exp`. The key is generated into the data folder at first start.
public struct DevelopmentTokens: Sendable {
    private let key: SymmetricKey
    /// How long an issued token is valid.
    public let lifetime: Duration

    public init(key: SymmetricKey, lifetime: Duration = .seconds(24 * 3600)) {
        self.key = key
        self.lifetime = lifetime
    }

    private struct Claims: Codable {
        let sub: String
        let role: Principal.Role
        let rgn: String
        let exp: Int64
    }

    /// A signed token for a person.
    public func issue(for principal: Principal, now: Date = Date()) -> String {
        let expiry = Int64(now.timeIntervalSince1970) + lifetime.components.seconds
        let claims = Claims(sub: principal.userID.description, role: principal.role, rgn: principal.homeRegion.rawValue, exp: expiry)
        let payload = Base64URL.encode((try? JSONEncoder().encode(claims)) ?? Data())
        let signature = HMAC<SHA256>.authenticationCode(for: Data("iwz1.\(payload)".utf8), using: key)
        return "iwz1.\(payload).\(Base64URL.encode(Data(signature)))"
    }

    /// The principal of a valid, unexpired token; nil for anything else.
    public func verify(_ token: String, now: Date = Date()) -> Principal? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "iwz1",
              let signature = Base64URL.decode(String(parts[2])),
              HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data("iwz1.\(parts[1])".utf8), using: key),
              let payload = Base64URL.decode(String(parts[1])),
              let claims = try? JSONDecoder().decode(Claims.self, from: payload),
              claims.exp > Int64(now.timeIntervalSince1970),
              let userID = RegionalID(claims.sub), userID.kind == .user
        else { return nil }
        return Principal(userID: userID, role: claims.role, homeRegion: RegionID(claims.rgn))
    }
}

/// Base64url without padding (RFC 4648 §5).
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
