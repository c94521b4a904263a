public import Foundation
internal import JWTKit
internal import TokenVerification
public import ServerKit
public import Sovereignty

/// Signs access tokens (ES256, 15 minutes) with the ring's current key.
public struct AccessTokenIssuer: Sendable {
    public let ring: SigningKeyRing
    /// The `iss` of every token, e.g. `http://127.0.0.1:8000`.
    public let issuer: String
    public let lifetime: TimeInterval

    public init(ring: SigningKeyRing, issuer: String, lifetime: TimeInterval = 15 * 60) {
        self.ring = ring
        self.issuer = issuer
        self.lifetime = lifetime
    }

    /// A token for a person.
    public func issue(for principal: Principal, scope: String, clientID: String? = nil, now: Date = Date()) async throws -> String {
        try await sign(subject: principal.userID.description, region: principal.homeRegion.rawValue,
                       role: principal.role.rawValue, scope: scope, clientID: clientID, now: now)
    }

    /// A token for a partner system (client credentials): the subject is the client.
    public func issue(forClient clientID: String, scope: String, now: Date = Date()) async throws -> String {
        try await sign(subject: "client:\(clientID)", region: nil, role: nil, scope: scope, clientID: clientID, now: now)
    }

    private func sign(subject: String, region: String?, role: String?, scope: String, clientID: String?, now: Date) async throws -> String {
        // NumericDates in whole seconds, as clients expect them (RFC 7519 allows fractions; many parsers do not).
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let key = try ring.signingKey()
        let claims = AccessTokenClaims(
            iss: .init(value: issuer), sub: .init(value: subject), aud: .init(value: [AccessTokenClaims.audience]),
            exp: .init(value: now.addingTimeInterval(lifetime)), iat: .init(value: now), nbf: nil,
            jti: .init(value: UUID().uuidString.lowercased()), scope: scope, rgn: region, role: role, clientID: clientID)
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(backing: key.privateKey), kid: JWKIdentifier(string: key.kid))
        let token = try await keys.sign(claims, kid: JWKIdentifier(string: key.kid), header: ["typ": "at+jwt"])
        // The verifier accepts only low-S signatures (one valid spelling per token).
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = Base64URL.decode(String(parts[2])) else { return token }
        return "\(parts[0]).\(parts[1]).\(Base64URL.encode(Data(ES256Signature.lowS(Array(signature)))))"
    }
}

extension AccessTokenIssuer: AccessTokenMinting {
    /// The default scopes of a person's token, by role.
    public static func defaultScope(for role: Principal.Role) -> String {
        switch role {
        case .worker: "profile jobs:read matching agent"
        case .employer: "profile jobs:read jobs:write agent"
        }
    }

    public func mint(for principal: Principal) async throws -> String {
        try await issue(for: principal, scope: Self.defaultScope(for: principal.role))
    }
}
