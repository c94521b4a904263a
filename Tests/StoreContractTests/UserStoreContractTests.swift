import Foundation
import KeyManagement
import Sovereignty
import SQLKit
import Storage
import TestSupport
import Testing
import UserService

@Suite(.freshDatabases)
struct UserStoreContractTests {
    private func store(_ engine: TestDatabases.Engine) async throws -> (SQLUserStore, any RegionalDatabase) {
        let database = try await freshDatabase(engine, migrations: SQLUserStore.migrations)
        let (cipher, emails) = try await Fixtures.cipher(on: engine)
        return (SQLUserStore(database: database, cipher: cipher, emails: emails), database)
    }

    @Test(arguments: TestDatabases.engines)
    func storesFindsAndSignsInBySealedEmail(engine: TestDatabases.Engine) async throws {
        let (users, database) = try await store(engine)
        let worker = Fixtures.worker(1, email: "Nguyen@Example.com")
        try await users.insert(worker, passwordHash: "$2b$04$hash")
        #expect(try await users.find(worker.id) == worker)
        #expect(try await users.isRegistered(email: "nguyen@example.com"))
        let credentials = try #require(try await users.credentials(email: "NGUYEN@example.com"))
        #expect(credentials.user.id == worker.id)
        #expect(credentials.passwordHash == "$2b$04$hash")
        // Nothing readable at rest: neither the address nor the name is in the row.
        let row = try #require(try await database.sql.raw("SELECT * FROM users").first())
        for column in ["email_index", "sealed_document", "sealed_password_hash"] {
            let value = try row.decode(column: column, as: String.self)
            #expect(!value.lowercased().contains("nguyen"), "\(column)")
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aTakenEmailIsRefusedOnEveryEngine(engine: TestDatabases.Engine) async throws {
        let (users, _) = try await store(engine)
        try await users.insert(Fixtures.worker(1, email: "a@example.com"), passwordHash: nil)
        await #expect(throws: UserStoreError.emailTaken) {
            try await users.insert(Fixtures.worker(2, email: "A@example.com"), passwordHash: nil)
        }
        #expect(try await users.find(Fixtures.id(.user, 2)) == nil)
    }

    @Test(arguments: TestDatabases.engines)
    func updatesAndErases(engine: TestDatabases.Engine) async throws {
        let (users, _) = try await store(engine)
        var worker = Fixtures.worker(1, email: "a@example.com")
        try await users.insert(worker, passwordHash: nil)
        worker.displayName = "Renamed"
        worker.updatedAt = "2026-12-02T00:00:00Z"
        try await users.update(worker)
        #expect(try await users.find(worker.id)?.displayName == "Renamed")
        #expect(try await users.erase(worker.id))
        #expect(try await users.find(worker.id) == nil)
        #expect(try await users.isRegistered(email: "a@example.com") == false)
        #expect(try await users.erase(worker.id) == false)
    }
}
