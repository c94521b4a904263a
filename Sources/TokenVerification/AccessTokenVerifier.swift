public import Foundation
internal import JWTKit
public import ServerKit
public import Sovereignty
internal import Synchronization

/// Verifies access tokens locally against the issuer's published keys (no call per request):
/// ES256 only, with a low-S signature, no `crit` extension (none is understood, RFC 7515 §4.1.11), a known
/// `kid`, a valid signature, `iss`, `aud`, `exp`, `nbf` and an `iat` not in the future.
public final class AccessTokenVerifier: Sendable {
    /// Why a token was refused; reported in metrics and in the 401's `WWW-Authenticate` error description.
    public enum Failure: String, Error, Sendable {
        case malformed, algorithm = "algorithm-not-allowed", unknownKey = "unknown-key", signature = "bad-signature"
        case expired, notYetValid = "not-yet-valid", issuer = "wrong-issuer", audience = "wrong-audience", claims = "bad-claims"
        /// The subject erased themselves: none of their tokens is accepted any more.
        case revoked
    }

    /// The verified caller.
    public struct Verified: Sendable, Equatable {
        public let claims: AccessTokenClaims
        /// Set when the subject is a person.
        public let principal: Principal?
    }

    private let keySource: @Sendable () async -> [String: [[String: String]]]
    private let issuer: String
    private let leeway: TimeInterval
    private let cache = Mutex<(kids: Set<String>, keys: JWTKeyCollection?, refreshed: Date)>(([], nil, .distantPast))
    /// Tokens already verified, until they expire: a token's signature cannot change, so the ES256
    /// check is done once per token rather than once per request. Bounded; cleared when full.
    private let verified = Mutex<[String: Verified]>([:])
    private static let verifiedCapacity = 10_000
    /// Subjects whose tokens are refused whatever their signature says.
    private let revoked: RevokedSubjects

    /// - Parameters:
    ///   - keySource: the JWKS (local, or ``RemoteKeySet``'s), read again (at most once a second) when a token names an unknown `kid`.
    ///   - revoked: subjects whose tokens are refused (erased people), asked on every call.
    public init(issuer: String, leeway: TimeInterval = 60, revoked: RevokedSubjects = RevokedSubjects(),
                keySource: @escaping @Sendable () async -> [String: [[String: String]]]) {
        self.revoked = revoked
        self.issuer = issuer
        self.leeway = leeway
        self.keySource = keySource
    }

    public func verify(_ token: String, now: Date = Date()) async throws(Failure) -> Verified {
        if let known = verified.withLock({ $0[token] }) {
            guard known.claims.exp.value > now else {
                verified.withLock { $0[token] = nil }
                throw .expired
            }
            guard !revoked.contains(known.claims.sub.value) else { throw .revoked }
            return known
        }
        let result = try await verifyUncached(token, now: now)
        guard !revoked.contains(result.claims.sub.value) else { throw .revoked }
        verified.withLock { cache in
            if cache.count >= Self.verifiedCapacity { cache.removeAll(keepingCapacity: true) }
            cache[token] = result
        }
        return result
    }

    private func verifyUncached(_ token: String, now: Date) async throws(Failure) -> Verified {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.count < 8192,
              let headerData = Base64URL.decode(String(parts[0])),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else { throw .malformed }
        guard header["alg"] as? String == "ES256" else { throw .algorithm }
        guard header["crit"] == nil else { throw .malformed }
        guard let signature = Base64URL.decode(String(parts[2])), signature.count == 64 else { throw .malformed }
        guard !ES256Signature.isHighS(Array(signature)) else { throw .signature }
        guard let kid = header["kid"] as? String else { throw .unknownKey }
        guard let keys = await keys(for: kid) else { throw .unknownKey }
        let claims: AccessTokenClaims
        do {
            claims = try await keys.verify(token, as: AccessTokenClaims.self)
        } catch let error as JWTError {
            switch error.errorType {
            case .claimVerificationFailure:
                throw (error.failedClaim is ExpirationClaim) ? .expired : .notYetValid
            case .signatureVerificationFailed: throw .signature
            default: throw .malformed
            }
        } catch {
            throw .malformed
        }
        guard claims.iss.value == issuer else { throw .issuer }
        guard claims.aud.value.contains(AccessTokenClaims.audience) else { throw .audience }
        guard claims.iat.value.timeIntervalSince(now) <= leeway else { throw .notYetValid }
        var principal: Principal?
        if let id = RegionalID(claims.sub.value) {
            guard id.kind == .user, let role = claims.role.flatMap(Principal.Role.init(rawValue:)), let region = claims.rgn else {
                throw .claims
            }
            principal = Principal(userID: id, role: role, homeRegion: RegionID(region))
        } else if !claims.sub.value.hasPrefix("client:") {
            throw .claims
        }
        return Verified(claims: claims, principal: principal)
    }

    /// A key collection holding `kid`, refreshed from the key source when the kid is new.
    private func keys(for kid: String) async -> JWTKeyCollection? {
        let (known, keys, refreshed) = cache.withLock { ($0.kids, $0.keys, $0.refreshed) }
        if known.contains(kid), let keys { return keys }
        guard Date().timeIntervalSince(refreshed) >= 1 || keys == nil else { return nil }
        let collection = JWTKeyCollection()
        var kids = Set<String>()
        for jwk in await keySource()["keys"] ?? [] {
            guard jwk["kty"] == "EC", jwk["alg"] == "ES256", let x = jwk["x"], let y = jwk["y"], let id = jwk["kid"],
                  let key = try? ES256PublicKey(parameters: (x, y)) else { continue }
            kids.insert(id)
            await collection.add(ecdsa: key, kid: JWKIdentifier(string: id))
        }
        cache.withLock { $0 = (kids, collection, Date()) }
        return kids.contains(kid) ? collection : nil
    }
}
