import Sovereignty
import Storage
import SQLKit
import Logging
import Foundation
import HummingbirdTesting
import Platform
import Testing
import TestSupport

@Suite("Residency")
struct ResidencyTests {
    /// People homed in Japan, Korea and the EU, registered through the gateway from anywhere.
    static let people: [(email: String, country: String, region: String)] = [
        ("haruto.sato@example.jp", "JP", "jp-tokyo"),
        ("yui.tanaka@example.jp", "JP", "jp-tokyo"),
        ("minjun.lee@example.kr", "KR", "kr-seoul"),
        ("seoyeon.choi@example.kr", "KR", "kr-seoul"),
        ("lena.schmidt@example.de", "DE", "eu-west-1"),
        ("joao.silva@example.pt", "PT", "eu-west-1"),
    ]

    @Test func eachCellFileHoldsOnlyItsOwnPeople() async throws {
        let directory = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let platform = try await PlatformHarness.start(dataDirectory: directory)
        let ids = try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
            var ids: [(id: String, region: String, email: String)] = []
            for (index, person) in Self.people.enumerated() {
                // Send some through a foreign region's header: the home region still decides.
                let account = try await Scenario.register(
                    client, email: person.email, country: person.country, via: index.isMultiple(of: 2) ? "us-east-1" : nil)
                #expect(account.servedBy == person.region)
                #expect(account.id.hasPrefix("usr_\(platform.configuration.catalog.region(.init(person.region))!.idCode)_"), "\(index)")
                ids.append((account.id, person.region, person.email))
            }
            return ids
        }
        await platform.close()
        for cell in platform.cells {
            let bytes = try Self.contents(of: try #require(cell.database as? SQLiteCellDatabase).path)
            for person in ids {
                let present = bytes.range(of: Data(person.id.utf8)) != nil
                #expect(present == (person.region == cell.region.id.rawValue), "\(person.id) in \(cell.region.id): \(present)")
                #expect(bytes.range(of: Data(person.email.utf8)) == nil, "emails are sealed, never stored in the clear")
            }
        }
    }

    /// The database file and any write-ahead log next to it.
    static func contents(of path: String) throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: path + "-wal")) { data.append(wal) }
        return data
    }

    @Test func cellsUseWriteAheadLogging() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            for cell in platform.cells {
                let mode = try await #require(cell.database as? SQLiteCellDatabase).journalMode()
                #expect(mode == "wal")
            }
        }
    }

    @Test func publicPostingsReachEveryCell() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            let jobID = try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let employer = try await Scenario.register(
                    client, role: "employer", email: "hr@example.jp", country: "JP", company: "Example K.K.")
                return try await Scenario.postJob(client, token: employer.token)
            }
            for cell in platform.cells {
                let bytes = try Self.contents(of: try #require(cell.database as? SQLiteCellDatabase).path)
                #expect(bytes.range(of: Data(jobID.utf8)) != nil, "posting missing in \(cell.region.id)")
                #expect(bytes.range(of: Data("hr@example.jp".utf8)) == nil || cell.region.id == "jp-tokyo",
                        "the employer's email must stay in jp-tokyo")
            }
        }
    }
}
