public import Foundation
public import ServerKit

/// A cell's authorization codes and refresh tokens, kept as digests. Refresh tokens form families:
/// each use replaces the token with a new one, and a second use of any token revokes its family
/// (RFC 9700 §4.14). In the cell's database (``SQLGrantStore``) or, where the region has one, in
/// its own Redis (``RedisGrantStore``), the seed's session storage.
public protocol GrantStore: PersonalRecords {
    func saveCode(_ code: String, _ grant: Grant.Code, expiresAt: Date) async throws
    /// Marks a code used and returns its grant once; a second redemption revokes what the first issued.
    func redeemCode(_ code: String, familyID: String, now: Date) async throws -> Grant.Redemption<Grant.Code>
    func saveRefreshToken(_ token: String, _ grant: Grant.Refresh, expiresAt: Date) async throws
    /// Uses a refresh token once; reuse of a used token revokes every token of its family.
    func redeemRefreshToken(_ token: String, now: Date) async throws -> Grant.Redemption<Grant.Refresh>
    /// Revokes the family of a refresh token; unknown tokens are ignored (RFC 7009 §2.2).
    func revoke(_ token: String) async throws
}

extension GrantStore {
    public func redeemCode(_ code: String, familyID: String) async throws -> Grant.Redemption<Grant.Code> {
        try await redeemCode(code, familyID: familyID, now: Date())
    }

    public func redeemRefreshToken(_ token: String) async throws -> Grant.Redemption<Grant.Refresh> {
        try await redeemRefreshToken(token, now: Date())
    }
}
