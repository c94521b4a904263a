import Sovereignty
import Storage
import SQLKit
import Logging
import MatchingEngine
import Foundation
import Platform
import Testing
import TestSupport
import Transfers

@Suite("Start-up")
struct StartupTests {
    @Test func refusesAConfigurationWithAnUnlawfulBackup() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        let config = folder.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in try FileManager.default.contentsOfDirectory(atPath: PlatformHarness.configDirectory.path) where name != "regions.yaml" {
            try FileManager.default.copyItem(at: PlatformHarness.configDirectory.appendingPathComponent(name),
                                             to: config.appendingPathComponent(name))
        }
        let regions = try String(contentsOf: PlatformHarness.configDirectory.appendingPathComponent("regions.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "      - target: eu-central-1\n", with: "      - target: eu-central-1\n      - target: us-west-2\n")
        try regions.write(to: config.appendingPathComponent("regions.yaml"), atomically: true, encoding: .utf8)
        let loaded = try LoadedConfiguration.load(from: config)
        let error = await #expect(throws: PlatformError.self) {
            try await Platform.start(config: loaded, dataDirectory: folder.appendingPathComponent("data").path, openAPI: "", logger: .init(label: "t"))
        }
        #expect(error?.message.contains("eu-west-1 → us-west-2") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path), "nothing is created")
    }

    /// Sessions name their person: one Redis for every region of an all-in-one process would mix
    /// them, so the URL must name each region's.
    @Test func sessionsInOneRedisForSeveralRegionsAreRefused() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = try LoadedConfiguration.load(from: PlatformHarness.configDirectory)
        for (template, expected) in [("redis://127.0.0.1:6379", "{region}"), ("redis://sessions.{region}.internal:99999", "not host[:port]"),
                                     ("http://sessions.{region}.internal", "malformed")] {
            let error = await #expect(throws: PlatformError.self) {
                try await Platform.start(config: loaded, dataDirectory: folder.appendingPathComponent("data").path, openAPI: "",
                                         logger: .init(label: "t"), sessions: .redis(template: template))
            }
            #expect(error?.message.contains(expected) == true, "\(template): \(error?.message ?? "")")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path), "nothing is created")
    }

    @Test func aCandidateCardPurposeThatNamesADirectIdentifierIsRefused() throws {
        let good = try String(contentsOf: PlatformHarness.configDirectory.appendingPathComponent("transfers.yaml"), encoding: .utf8)
        #expect((try? TransferPurposes(yaml: good)) != nil)
        let leaking = good.replacingOccurrences(
            of: "minimum_data: [skills, languages, residence_status, desired_salary, desired_area]",
            with: "minimum_data: [display_name, skills, languages, residence_status, desired_salary, desired_area]")
        #expect(leaking != good)
        #expect(throws: TransfersConfigurationError.self, "a card may not carry a name") { try TransferPurposes(yaml: leaking) }
    }

    @Test func reopensExistingCellsAndKeepsTheirData() async throws {
        let directory = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await PlatformHarness.start(dataDirectory: directory)
        let summary = try await DemoData.load(into: first)
        #expect(summary.users == DemoData.people.count)
        #expect(summary.jobs == DemoData.postings.count)
        for cell in first.cells { #expect(cell.matchingIndex.count == DemoData.postings.count, "every cell indexes every public posting") }
        await first.close()
        let second = try await PlatformHarness.start(dataDirectory: directory)
        let again = try await DemoData.load(into: second)
        #expect(again.users == 0 && again.jobs == 0, "demo data loads once")
        for cell in second.cells {
            #expect(await cell.database.isReady())
            #expect(cell.matchingIndex.count == DemoData.postings.count, "the index is rebuilt from the database at start")
        }
        await second.close()
    }
}
