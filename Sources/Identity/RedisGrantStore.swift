public import Foundation
public import RedisClient
public import ServerKit
public import Sovereignty

/// Authorization codes and refresh-token families in the region's own Redis (or Redis Cluster).
///
/// Every script touches one key, so nothing depends on keys sharing a slot: a code or token is a
/// hash under its digest, a family's revocation is a key of its own, and each person has a set
/// naming their keys, for erasure. Redeeming marks the code or token used atomically; a token is
/// then valid only while its family is not revoked, so a token issued in a family just before a
/// reuse elsewhere revokes it is refused too. Records stay a day past expiry, so a reuse shortly
/// after expiry is still recognised as one.
public struct RedisGrantStore: GrantStore {
    private let client: RedisClient
    private let prefix: String
    /// How long a used or expired record is kept to recognise reuse.
    private let reuseMemory: TimeInterval = 86_400

    /// `prefix` separates regions sharing a server in tests; production gives each region its own Redis.
    public init(client: RedisClient, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    private func codeKey(_ code: String) -> String { prefix + "code:" + RandomToken.digest(code) }
    private func tokenKey(_ token: String) -> String { prefix + "token:" + RandomToken.digest(token) }
    private func familyKey(_ family: String) -> String { prefix + "family:" + family }
    private func personKey(_ person: String) -> String { prefix + "person:" + person }

    /// Writes a record's fields and how long to keep it.
    static let store = RedisScript("""
        redis.call('DEL', KEYS[1])
        for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 1
        """)

    /// Adds members to a set, keeping it at least as long as asked.
    static let remember = RedisScript("""
        for i = 2, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return 1
        """)

    /// Marks a code or token used: `{'invalid'}`, `{'reused', family}` or `{'valid', fields…}`.
    static let redeem = RedisScript("""
        local flat = redis.call('HGETALL', KEYS[1])
        if #flat == 0 then return {'invalid'} end
        local f = {}
        for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
        if f['used'] == '1' then return {'reused', f['family'] or ''} end
        if tonumber(f['expires']) <= tonumber(ARGV[1]) then return {'invalid'} end
        redis.call('HSET', KEYS[1], 'used', '1')
        if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'family', ARGV[2]) end
        local out = {'valid'}
        for i = 3, #ARGV do out[#out + 1] = f[ARGV[i]] or '' end
        return out
        """)

    /// Runs a call to Redis: a server that cannot serve now (down, failing over, loading) makes
    /// the request a 503 to retry shortly, not an internal error.
    private func reaching<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as RedisError where error.isUnavailability {
            throw Problem.storeUnavailable("region's session store")
        }
    }

    private func keep(until expiresAt: Date) -> String {
        String(Int64((max(0, expiresAt.timeIntervalSinceNow) + reuseMemory) * 1000))
    }

    private func save(_ key: String, person: String, extra: [String] = [], fields: [(String, String)], expiresAt: Date) async throws {
        let keep = keep(until: expiresAt)
        _ = try await client.run(Self.remember, keys: [personKey(person)], arguments: [keep, key] + extra)
        _ = try await client.run(Self.store, keys: [key], arguments: [keep] + fields.flatMap { [$0.0, $0.1] }
                                 + [("expires", String(expiresAt.timeIntervalSince1970)), ("used", "0")].flatMap { [$0.0, $0.1] })
    }

    public func saveCode(_ code: String, _ grant: Grant.Code, expiresAt: Date) async throws {
        try await reaching {
            try await save(codeKey(code), person: grant.userID, fields: [
                ("client", grant.clientID), ("user", grant.userID), ("redirect", grant.redirectURI),
                ("challenge", grant.challenge), ("scope", grant.scope),
            ], expiresAt: expiresAt)
        }
    }

    public func redeemCode(_ code: String, familyID: String, now: Date) async throws -> Grant.Redemption<Grant.Code> {
        try await reaching {
            let reply = try await redeem(codeKey(code), familyID: familyID, now: now, fields: ["client", "user", "redirect", "challenge", "scope"])
            switch reply.first {
            case "valid" where reply.count == 6:
                return .valid(Grant.Code(clientID: reply[1], userID: reply[2], redirectURI: reply[3], challenge: reply[4], scope: reply[5]))
            case "reused":
                if reply.count == 2, !reply[1].isEmpty { try await revokeFamily(reply[1]) }
                return .reused
            default:
                return .invalid
            }
        }
    }

    public func saveRefreshToken(_ token: String, _ grant: Grant.Refresh, expiresAt: Date) async throws {
        try await reaching {
            try await save(tokenKey(token), person: grant.userID, extra: [familyKey(grant.familyID)], fields: [
                ("family", grant.familyID), ("client", grant.clientID), ("user", grant.userID), ("scope", grant.scope),
            ], expiresAt: expiresAt)
        }
    }

    public func redeemRefreshToken(_ token: String, now: Date) async throws -> Grant.Redemption<Grant.Refresh> {
        try await reaching {
            let reply = try await redeem(tokenKey(token), familyID: "", now: now, fields: ["family", "client", "user", "scope"])
            switch reply.first {
            case "valid" where reply.count == 5:
                guard try await client.get(familyKey(reply[1])) == nil else { return .invalid }
                return .valid(Grant.Refresh(familyID: reply[1], clientID: reply[2], userID: reply[3], scope: reply[4]))
            case "reused":
                if reply.count == 2, !reply[1].isEmpty { try await revokeFamily(reply[1]) }
                return .reused
            default:
                return .invalid
            }
        }
    }

    public func revoke(_ token: String) async throws {
        try await reaching {
            guard let family = try await client.send(["HGET", tokenKey(token), "family"]).string, !family.isEmpty else { return }
            try await revokeFamily(family)
        }
    }

    private func redeem(_ key: String, familyID: String, now: Date, fields: [String]) async throws -> [String] {
        let reply = try await client.run(Self.redeem, keys: [key], arguments: [String(now.timeIntervalSince1970), familyID] + fields)
        guard let values = reply.array?.map({ $0.string ?? "" }), !values.isEmpty else {
            throw RedisError.unexpectedReply("grant redemption returned \(reply)")
        }
        return values
    }

    /// A family stays revoked as long as any of its tokens could be presented.
    private func revokeFamily(_ family: String) async throws {
        try await client.set(familyKey(family), "revoked", expiresInMilliseconds: Int64((reuseMemory + 90 * 86_400) * 1000))
    }

    public var recordKind: String { "grants" }

    /// Deletes the person's codes, tokens and families: no session of theirs survives.
    public func erase(person: RegionalID) async throws -> Int {
        try await reaching {
            let index = personKey(person.description)
            let keys = try await client.send(["SMEMBERS", index]).array?.compactMap(\.string) ?? []
            let deleted = try await client.delete(keys)
            _ = try await client.delete([index])
            return Int(deleted)
        }
    }
}
