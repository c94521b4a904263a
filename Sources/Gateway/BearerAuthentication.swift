public import ServerKit
public import Observability
public import TokenVerification
internal import Tracing

extension AppRequestContext {
    /// Verifies the bearer token of an `Authorization` header and takes its caller (principal,
    /// scopes, client); a 401 problem otherwise, with the reason counted. The gateway and every role
    /// behind it authenticate the same way.
    package mutating func authenticate(_ authorization: String, with verifier: AccessTokenVerifier,
                                       metrics: HTTPMetrics) async throws -> AccessTokenVerifier.Verified {
        guard let token = BearerToken.parse(authorization) else {
            metrics.recordAuthFailure(reason: "not-bearer")
            throw Problem.unauthorized("only Bearer tokens are accepted", error: "invalid_request")
        }
        let outcome: Result<AccessTokenVerifier.Verified, AccessTokenVerifier.Failure> = await withSpan("authenticate") { _ in
            do throws(AccessTokenVerifier.Failure) { return .success(try await verifier.verify(token)) } catch { return .failure(error) }
        }
        switch outcome {
        case .success(let verified):
            principal = verified.principal
            scopes = verified.claims.scopes
            clientID = verified.claims.clientID
            return verified
        case .failure(let failure):
            metrics.recordAuthFailure(reason: failure.rawValue)
            throw Problem.unauthorized("the access token is not valid (\(failure.rawValue))", error: "invalid_token")
        }
    }
}
