import Foundation
@testable import Identity
import KeyManagement
@testable import Peering
import Sovereignty
import SQLKit
import Storage
import TestSupport
import Testing
import Transfers

/// The stores of consents, cards, the audit chain and the peering bookkeeping.
@Suite(.freshDatabases)
struct RecordStoreContractTests {
    @Test(arguments: TestDatabases.engines)
    func consentsAreGivenListedAndWithdrawn(engine: TestDatabases.Engine) async throws {
        let consents = ConsentStore(database: try await freshDatabase(engine, migrations: ConsentStore.migrations))
        let person = Fixtures.id(.user, 1)
        let consent = Consent(id: "c1", userID: person, destination: "kr-seoul", purpose: "job-application", noticeVersion: "2026-12-06",
                              noticeText: "text", kind: .appiInformed, givenAt: "2026-12-01T00:00:00Z")
        try await consents.insert(consent)
        #expect(try await consents.active(for: person, destination: "kr-seoul", purpose: "job-application") == consent)
        #expect(try await consents.active(purpose: "job-application").map(\.id) == ["c1"])
        let withdrawn = try #require(try await consents.withdraw("c1", of: person, at: "2026-12-02T00:00:00Z"))
        #expect(withdrawn.withdrawnAt == "2026-12-02T00:00:00Z")
        #expect(try await consents.active(for: person, destination: "kr-seoul", purpose: "job-application") == nil)
        #expect(try await consents.list(for: person).count == 1)
        #expect(try await consents.withdraw("c1", of: Fixtures.id(.user, 2), at: "2026-12-03T00:00:00Z") == nil)
        #expect(try await consents.erase(person: person) == 1)
        #expect(try await consents.list(for: person).isEmpty)
    }

    @Test(arguments: TestDatabases.engines)
    func aWorkerKeepsOneCardPerDestination(engine: TestDatabases.Engine) async throws {
        let cards = CandidateCardStore(database: try await freshDatabase(engine, migrations: CandidateCardStore.migrations))
        let worker = Fixtures.id(.user, 1)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let first = try await cards.cardID(for: worker, destination: "kr-seoul", regionCode: "jp1", now: now)
        let again = try await cards.cardID(for: worker, destination: "kr-seoul", regionCode: "jp1", now: now.addingTimeInterval(1))
        let other = try await cards.cardID(for: worker, destination: "eu-frankfurt", regionCode: "jp1", now: now)
        #expect(first == again)
        #expect(first != other)
        #expect(try await cards.worker(of: first) == worker)
        #expect(try await cards.erase(person: worker) == 2)
        #expect(try await cards.worker(of: first) == nil)
    }

    /// The chain's position is read and appended under the write lock: appends from many tasks at
    /// once still make one unbroken chain.
    @Test(arguments: TestDatabases.engines)
    func theAuditChainStaysWholeUnderConcurrentAppends(engine: TestDatabases.Engine) async throws {
        let log = AuditLog(database: try await freshDatabase(engine, migrations: AuditLog.migrations), headFile: nil)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<30 {
                group.addTask { try await log.append(event: "test", details: ["n": n]) }
            }
            try await group.waitForAll()
        }
        let verification = try await log.verify()
        #expect(verification.isIntact, "\(verification.problem ?? "")")
        #expect(try await log.entries().map(\.seq) == Array(1...30))
    }

    @Test(arguments: TestDatabases.engines)
    func peeringBookkeeping(engine: TestDatabases.Engine) async throws {
        let database = try await freshDatabase(engine, migrations: ReplicationCursors.migrations + RevocationStore.migrations)
        let cursors = ReplicationCursors(database: database)
        #expect(try await cursors.position(of: Fixtures.seoul) == 0)
        try await cursors.advance(Fixtures.seoul, to: 7)
        try await cursors.advance(Fixtures.seoul, to: 3)  // a late acknowledgement never moves it back
        #expect(try await cursors.position(of: Fixtures.seoul) == 7)
        try await cursors.advance(Fixtures.seoul, to: 9_000_000_000)  // past 32 bits
        #expect(try await cursors.position(of: Fixtures.seoul) == 9_000_000_000)
        let revocations = RevocationStore(database: database)
        try await revocations.record("usr_1")
        try await revocations.record("usr_1")
        #expect(try await revocations.all() == ["usr_1"])
    }

    @Test(arguments: TestDatabases.engines)
    func dataKeysAreMadeOnceAndStayDestroyed(engine: TestDatabases.Engine) async throws {
        let (cipher, _) = try await Fixtures.cipher(on: engine)
        let sealed = try await cipher.seal(Data("résumé".utf8), subject: "usr_1", context: "test")
        #expect(try await cipher.open(sealed, subject: "usr_1", context: "test") == Data("résumé".utf8))
        #expect(try await cipher.vault.destroy(subject: "usr_1"))
        await #expect(throws: KeyManagementError.self) { try await cipher.open(sealed, subject: "usr_1", context: "test") }
        await #expect(throws: KeyManagementError.self) { try await cipher.vault.key(creatingFor: "usr_1") }
        #expect(try await cipher.vault.destroyedSubjects() == ["usr_1"])
    }
}
