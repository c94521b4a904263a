import Foundation
import Platform
import Sovereignty
import UserService
import SQLKit
import Testing
import TestSupport

/// Runs the built `iworkz` executable as an operator would.
// Serialized: Foundation's Process.run on Linux has crashed when two tests spawned processes at once.
@Suite("Command line", .serialized)
struct CommandLineTests {
    static let executable = PlatformHarness.configDirectory.deletingLastPathComponent()
        .appendingPathComponent(".build/debug/iworkz")

    struct Run {
        let status: Int32
        let output: String
        let error: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), error: String(decoding: err, as: UTF8.self))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func complianceCheckPassesOnTheShippedConfiguration() throws {
        // On a day when every table of legal data is current: the Japanese wages are due on 2026-10-01.
        let run = try Self.run(["compliance", "check", "--config-dir", PlatformHarness.configDirectory.path, "--on", "2026-09-30"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("ap-southeast-1 → ap-northeast-1 (JP): sg-legally-bound"))
        #expect(run.output.contains("ok   legal data: minimum wages JP (as of 2025-09-05, revision due 2026-10-01"))
        #expect(run.output.contains("compliance check passed"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func complianceCheckFailsOnLegalDataPastItsRevisionDay() throws {
        let run = try Self.run(["compliance", "check", "--config-dir", PlatformHarness.configDirectory.path, "--on", "2026-10-01"])
        #expect(run.status == 1)
        #expect(run.output.contains("LATE legal data: minimum wages JP (as of 2025-09-05, revision due 2026-10-01"))
        #expect(run.output.contains("ok   legal data: minimum wages KR"))
        #expect(run.error.hasPrefix("error: 1 table(s) of legal data past their revision day on 2026-10-01"), "\(run.error)")
        let badDay = try Self.run(["compliance", "check", "--config-dir", PlatformHarness.configDirectory.path, "--on", "tomorrow"])
        #expect(badDay.status != 0)
        #expect(badDay.error.contains("--on must be a date as YYYY-MM-DD"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func complianceCheckFailsOnAnUnlawfulBackupRegion() throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in try FileManager.default.contentsOfDirectory(atPath: PlatformHarness.configDirectory.path) where name != "regions.yaml" {
            try FileManager.default.copyItem(at: PlatformHarness.configDirectory.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let regions = try String(contentsOf: PlatformHarness.configDirectory.appendingPathComponent("regions.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "      - target: local-kr-cloud\n", with: "      - target: local-kr-cloud\n      - target: us-west-2\n")
        try regions.write(to: folder.appendingPathComponent("regions.yaml"), atomically: true, encoding: .utf8)
        let run = try Self.run(["compliance", "check"], environment: ["IWORKZ_CONFIG_DIR": folder.path])
        #expect(run.status == 1)
        #expect(run.output.contains("FAIL kr-seoul → us-west-2"))
        #expect(run.error.hasPrefix("error: 2 compliance violation(s)"))
        #expect(run.error.contains("outside the cell's data residency (Korea only)"))

        let serve = try Self.run(["serve", "--config-dir", folder.path, "--data-dir", folder.appendingPathComponent("data").path, "--port", "0"])
        #expect(serve.status == 1, "serve refuses an unlawful configuration")
        #expect(serve.error.contains("configuration is not lawful"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func aBrokenConfigurationIsOneClearLine() throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "default_region: jp-tokyo\nregions: [{id: jp-tokyo}]\n".write(to: folder.appendingPathComponent("regions.yaml"), atomically: true, encoding: .utf8)
        let run = try Self.run(["regions", "--config-dir", folder.path])
        #expect(run.status == 1)
        #expect(run.error.hasPrefix("error: regions file: missing key"))
        #expect(run.error.split(separator: "\n").count == 1)
        let missing = try Self.run(["regions", "--config-dir", "/nonexistent"])
        #expect(missing.status == 1)
        #expect(missing.error.contains("has no regions.yaml"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func regionsPrintsTheSovereigntyTable() throws {
        let run = try Self.run(["regions", "--config-dir", PlatformHarness.configDirectory.path])
        #expect(run.status == 0)
        for region in ["jp-tokyo", "jp-osaka", "kr-seoul", "eu-west-1", "us-east-1", "ap-southeast-1", "uk-west-1"] {
            #expect(run.output.contains(region))
        }
        #expect(run.output.contains("standby for jp-tokyo"))
        #expect(run.output.contains("KR (PIPA)"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"),
          arguments: [["--help"], ["serve", "--help"], ["regions", "--help"], ["compliance", "--help"], ["compliance", "check", "--help"], ["openapi", "--help"], ["keys", "rotate", "--help"]])
    func everyCommandHasHelp(arguments: [String]) throws {
        let run = try Self.run(arguments)
        #expect(run.status == 0)
        #expect(run.output.contains("USAGE: iworkz"))
        #expect(run.output.contains("OVERVIEW:"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func openAPIPrintsTheDocument() throws {
        let run = try Self.run(["openapi"])
        #expect(run.status == 0)
        #expect(run.output == (try String(contentsOf: PlatformHarness.openAPIPath, encoding: .utf8)))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func serveStopsGracefullyOnSIGTERM() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0", "--demo", "--config-dir", PlatformHarness.configDirectory.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["IWORKZ_DATA_DIR": folder.path]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let log = LogCapture()
        let sink = log.sink
        output.fileHandleForReading.readabilityHandler = { handle in sink.write(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !log.text.contains("iworkz listening"), Date() < deadline, process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(log.text.contains("iworkz listening"), "\(log.text)")
        #expect(log.text.contains("demo data loaded"))
        process.terminate()
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationStatus == 0)
        #expect(log.text.contains("iworkz stopped"), "\(log.text)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cells/kr-seoul.sqlite").path))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func rotatesTheSigningKey() throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try Self.run(["keys", "rotate", "--jwt", "--data-dir", folder.path])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("2 key(s) in the JWKS"), "the first run creates a key, then rotates it")
        let badBound = try Self.run(["serve", "--max-in-flight", "0", "--data-dir", folder.path])
        #expect(badBound.status == 1)
        #expect(badBound.error.contains("max_in_flight_requests must be a positive whole number"))
        let missingFlag = try Self.run(["keys", "rotate", "--data-dir", folder.path])
        #expect(missingFlag.status != 0)
        #expect(missingFlag.error.contains("--jwt"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func auditVerifyFindsAnEditedEntry() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let platform = try await PlatformHarness.start(dataDirectory: folder)
        let audit = try #require(platform.cell("kr-seoul")).audit
        try await audit.append(event: "consent-given", details: ["consent_id": "c1"])
        try await audit.append(event: "transfer-allowed", details: ["consent_id": "c1"])
        let arguments = ["audit", "verify", "--data-dir", folder.path, "--config-dir", PlatformHarness.configDirectory.path]
        let intact = try Self.run(arguments)
        #expect(intact.status == 0, "\(intact.error)")
        #expect(intact.output.contains("ok   kr-seoul: 2 entries, chain intact"))
        try await platform.cell("kr-seoul")!.database.sql.raw("UPDATE audit_log SET event = 'transfer-refused' WHERE seq = 2").run()
        await platform.close()
        let tampered = try Self.run(arguments)
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("FAIL kr-seoul: entry 2 was altered"))
        #expect(tampered.error.hasPrefix("error: audit log tampered with in 1 cell(s)"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func rotatingTheKeyEncryptionKeyRewrapsEveryDataKey() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var platform = try await PlatformHarness.start(dataDirectory: folder)
        var people: [UserService.User] = []
        for index in 0..<3 {
            let user = UserService.User(
                id: RegionalID.generate(kind: .user, regionCode: "kr1", millisecondsSince1970: 1_800_000_000_000 + UInt64(index)),
                role: .worker, email: "p\(index)@example.kr", displayName: "Person \(index)", countryOfResidence: "KR",
                homeRegion: "kr-seoul", companyName: nil, profile: nil, createdAt: "2026-11-25T00:00:00Z", updatedAt: "2026-11-25T00:00:00Z")
            try await platform.cell("kr-seoul")!.users.insert(user, passwordHash: nil)
            people.append(user)
        }
        #expect(try await platform.cell("kr-seoul")!.dataKeys.countByVersion() == [1: 3])
        await platform.close()

        let rotated = try Self.run(["keys", "rotate", "--kek", "--region", "kr-seoul", "--data-dir", folder.path,
                                    "--config-dir", PlatformHarness.configDirectory.path])
        #expect(rotated.status == 0, "\(rotated.error)")
        #expect(rotated.output.contains("kr-seoul: key-encryption key v2; 3 data key(s) re-wrapped"), "\(rotated.output)")
        // The old version is no longer needed: remove it and read everyone back.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("keys/cells/kr-seoul/kek/kek-v1.key"))
        platform = try await PlatformHarness.start(dataDirectory: folder)
        #expect(try await platform.cell("kr-seoul")!.dataKeys.countByVersion() == [2: 3])
        for person in people {
            #expect(try await platform.cell("kr-seoul")!.users.find(person.id)?.email == person.email)
        }
        await platform.close()
        let neither = try Self.run(["keys", "rotate", "--data-dir", folder.path])
        #expect(neither.status != 0)
    }
}
