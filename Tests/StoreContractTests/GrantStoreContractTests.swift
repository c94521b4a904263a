import Foundation
import Identity
import RedisClient
import Sovereignty
import Storage
import TestSupport
import Testing

/// Where a grant store under test keeps its records: a database engine, a single Redis, or the
/// Redis Cluster.
enum GrantBackend: CustomTestStringConvertible, Sendable {
    case database(TestDatabases.Engine)
    case redis(String)
    case redisCluster(String)

    static let redisURL = ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_URL"]
    static let redisClusterURL = ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_CLUSTER_URL"]

    /// Every backend this run has servers for.
    static var all: [GrantBackend] {
        TestDatabases.engines.map(GrantBackend.database) + [redisURL.map(GrantBackend.redis), redisClusterURL.map(GrantBackend.redisCluster)].compactMap { $0 }
    }

    var testDescription: String {
        switch self {
        case .database(let engine): "\(engine)"
        case .redis: "redis"
        case .redisCluster: "redis cluster"
        }
    }

    /// An empty store: a fresh database, or a key prefix no other test uses.
    func freshStore() async throws -> any GrantStore {
        switch self {
        case .database(let engine):
            return SQLGrantStore(database: try await freshDatabase(engine, migrations: SQLGrantStore.migrations))
        case .redis(let url), .redisCluster(let url):
            return RedisGrantStore(client: RedisClient(configuration: try RedisConfiguration(url: url)),
                                   prefix: "test:\(UUID().uuidString):grants:")
        }
    }
}

@Suite(.freshDatabases)
struct GrantStoreContractTests {
    /// Says visibly when a Redis backend is left out, and that each one named answers.
    @Test(.enabled(if: GrantBackend.redisURL != nil, "IWORKZ_TEST_REDIS_URL is unset: grants are not tested on Redis"))
    func redisAnswers() async throws {
        let client = RedisClient(configuration: try RedisConfiguration(url: GrantBackend.redisURL!))
        #expect(try await client.ping())
        await client.close()
    }

    @Test(.enabled(if: GrantBackend.redisClusterURL != nil, "IWORKZ_TEST_REDIS_CLUSTER_URL is unset: grants are not tested on a Redis Cluster"))
    func redisClusterAnswers() async throws {
        let client = RedisClient(configuration: try RedisConfiguration(url: GrantBackend.redisClusterURL!))
        #expect(try await client.ping())
        await client.close()
    }

    @Test(arguments: GrantBackend.all)
    func aCodeIsRedeemedOnceAndReuseRevokesItsFamily(backend: GrantBackend) async throws {
        let grants = try await backend.freshStore()
        let now = Date()
        let code = Grant.Code(clientID: "app", userID: "usr_1", redirectURI: "https://app.example/cb", challenge: "c", scope: "openid")
        try await grants.saveCode("code-1", code, expiresAt: now.addingTimeInterval(60))
        guard case .valid(let grant) = try await grants.redeemCode("code-1", familyID: "fam-1", now: now) else {
            Issue.record("a fresh code is valid"); return
        }
        #expect(grant == code)
        try await grants.saveRefreshToken("refresh-1", Grant.Refresh(familyID: "fam-1", clientID: "app", userID: "usr_1", scope: "openid"),
                                          expiresAt: now.addingTimeInterval(3600))
        guard case .reused = try await grants.redeemCode("code-1", familyID: "fam-2", now: now) else {
            Issue.record("a second redemption is reuse"); return
        }
        guard case .invalid = try await grants.redeemRefreshToken("refresh-1", now: now) else {
            Issue.record("the family's refresh token is revoked"); return
        }
        guard case .invalid = try await grants.redeemCode("never-issued", familyID: "fam-3", now: now) else {
            Issue.record("an unknown code is invalid"); return
        }
    }

    /// Expiry compares fractions of a second: a PostgreSQL `real` column would round them away.
    @Test(arguments: GrantBackend.all)
    func expiryKeepsSubSecondPrecision(backend: GrantBackend) async throws {
        let grants = try await backend.freshStore()
        let expiry = Date().addingTimeInterval(600).addingTimeInterval(0.5)
        let code = Grant.Code(clientID: "app", userID: "usr_1", redirectURI: "https://app.example/cb", challenge: "c", scope: "openid")
        try await grants.saveCode("late", code, expiresAt: expiry)
        guard case .invalid = try await grants.redeemCode("late", familyID: "f", now: expiry.addingTimeInterval(0.25)) else {
            Issue.record("a code a quarter second past expiry is invalid"); return
        }
        try await grants.saveCode("early", code, expiresAt: expiry)
        guard case .valid = try await grants.redeemCode("early", familyID: "g", now: expiry.addingTimeInterval(-0.25)) else {
            Issue.record("a code a quarter second before expiry is valid"); return
        }
    }

    @Test(arguments: GrantBackend.all)
    func refreshTokensRotateOnceAndReuseRevokesLaterTokens(backend: GrantBackend) async throws {
        let grants = try await backend.freshStore()
        let now = Date()
        let refresh = Grant.Refresh(familyID: "fam", clientID: "app", userID: "usr_1", scope: "openid")
        try await grants.saveRefreshToken("r1", refresh, expiresAt: now.addingTimeInterval(60))
        guard case .valid(let first) = try await grants.redeemRefreshToken("r1", now: now) else { Issue.record("first use is valid"); return }
        #expect(first == refresh)
        try await grants.saveRefreshToken("r2", refresh, expiresAt: now.addingTimeInterval(60))
        guard case .reused = try await grants.redeemRefreshToken("r1", now: now) else { Issue.record("second use is reuse"); return }
        guard case .invalid = try await grants.redeemRefreshToken("r2", now: now) else {
            Issue.record("the token issued after r1 belongs to the revoked family"); return
        }
        try await grants.saveRefreshToken("other", Grant.Refresh(familyID: "fam-b", clientID: "app", userID: "usr_1", scope: "openid"),
                                          expiresAt: now.addingTimeInterval(60))
        try await grants.revoke("other")
        try await grants.revoke("unknown-token")
        guard case .invalid = try await grants.redeemRefreshToken("other", now: now) else { Issue.record("revoked"); return }
    }

    @Test(arguments: GrantBackend.all)
    func erasureLeavesNoSessionOfThePerson(backend: GrantBackend) async throws {
        let grants = try await backend.freshStore()
        let now = Date()
        let (person, other) = (Fixtures.id(.user, 1), Fixtures.id(.user, 2))
        for (index, owner) in [person, other].enumerated() {
            try await grants.saveCode("code-\(index)", Grant.Code(clientID: "app", userID: owner.description, redirectURI: "https://a/cb",
                                                                  challenge: "c", scope: "openid"), expiresAt: now.addingTimeInterval(60))
            try await grants.saveRefreshToken("token-\(index)", Grant.Refresh(familyID: "fam-\(index)", clientID: "app", userID: owner.description,
                                                                              scope: "openid"), expiresAt: now.addingTimeInterval(60))
        }
        #expect(try await grants.erase(person: person) > 0)
        guard case .invalid = try await grants.redeemCode("code-0", familyID: "x", now: now),
              case .invalid = try await grants.redeemRefreshToken("token-0", now: now) else {
            Issue.record("the erased person's code and token are gone"); return
        }
        guard case .valid = try await grants.redeemRefreshToken("token-1", now: now) else {
            Issue.record("another person's token stays"); return
        }
        #expect(try await grants.erase(person: person) == 0)
    }
}
