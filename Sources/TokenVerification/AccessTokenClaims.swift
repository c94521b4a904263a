public import JWTKit
public import Foundation

/// The claims of an access token: `sub`, `rgn` (home region), `scope`, `aud`, `iss`, `exp`, `iat`, `jti`,
/// and the person's `role` (absent for a partner client).
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var nbf: NotBeforeClaim?
    public var jti: IDClaim
    public var scope: String
    public var rgn: String?
    public var role: String?
    public var clientID: String?

    package init(iss: IssuerClaim, sub: SubjectClaim, aud: AudienceClaim, exp: ExpirationClaim, iat: IssuedAtClaim, nbf: NotBeforeClaim? = nil,
                 jti: IDClaim, scope: String, rgn: String? = nil, role: String? = nil, clientID: String? = nil) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
        self.jti = jti
        self.scope = scope
        self.rgn = rgn
        self.role = role
        self.clientID = clientID
    }

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nbf, jti, scope, rgn, role
        case clientID = "client_id"
    }

    /// The audience every API token carries.
    public static let audience = "iworkz-api"

    /// Checks time claims; issuer and audience are checked by ``AccessTokenVerifier``.
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }

    public var scopes: Set<String> { Set(scope.split(separator: " ").map(String.init)) }
}
