import Foundation
import Subprocess
import SystemPackage
import Platform
import Sovereignty
import UserService
import SQLKit
import Testing
import TestSupport

/// Runs the built `iworkz` executable as an operator would.
// Processes are spawned with swift-subprocess: Foundation's Process.run in Swift 6.3 on Linux
// over-reads a `dirent` while closing descriptors and crashes now and then
// (swift-corelibs-foundation #5472). Serialized so that the suite's runs of the executable do not compete for two cores.
@Suite("Command line", .serialized)
struct CommandLineTests {
    static let executable = PlatformHarness.configDirectory.deletingLastPathComponent()
        .appendingPathComponent(".build/debug/iworkz")

    struct Run {
        let status: Int32
        let output: String
        let error: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let result = try await Subprocess.run(
            .path(FilePath(executable.path)),
            arguments: Arguments(arguments),
            environment: .inherit.updating(Self.overrides(environment)),
            output: .string(limit: 4 << 20),
            error: .string(limit: 4 << 20)
        )
        let status: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return Run(status: status, output: result.standardOutput, error: result.standardError)
    }

    static func overrides(_ environment: [String: String]) -> [Environment.Key: String?] {
        Dictionary(uniqueKeysWithValues: environment.compactMap { name, value in
            Environment.Key(rawValue: name).map { ($0, value) }
        })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func aRoleWithBadSettingsNamesEveryProblemAndDoesNotStart() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await Self.run(["serve", "--role", "backend-api", "--region", "mars-1", "--port", "70000", "--log-level", "loud",
                                      "--config-dir", PlatformHarness.configDirectory.path, "--data-dir", folder.path])
        #expect(run.status == 1)
        for problem in ["port (--port, IWORKZ_PORT) must be a whole number from 0 to 65535, not 70000", "logLevel (--log-level, IWORKZ_LOG_LEVEL)",
                        "region (--region, IWORKZ_REGION) mars-1 is not in regions.yaml"] {
            #expect(run.error.contains(problem), "\(run.error)")
        }
        #expect(run.error.split(separator: "\n").count == 1, "one line")

        let gateway = try await Self.run(["serve", "--role", "gateway", "--config-dir", PlatformHarness.configDirectory.path,
                                          "--data-dir", folder.path])
        #expect(gateway.status == 1)
        #expect(gateway.error.contains("--role gateway needs --topology"), "\(gateway.error)")
        #expect(gateway.error.contains("no certificate for jp-tokyo/gateway"), "\(gateway.error)")
        #expect(gateway.error.contains("iworkz certs init"), "\(gateway.error)")

        let engine = try await Self.run(["serve", "--role", "matching-engine", "--insecure-internal", "--config-dir",
                                         PlatformHarness.configDirectory.path, "--data-dir", folder.path])
        #expect(engine.status == 1)
        #expect(engine.error.contains("--role matching-engine needs --region") && engine.error.contains("--role matching-engine needs --topology"),
                "\(engine.error)")
        let unknown = try await Self.run(["serve", "--role", "search-engine"])
        #expect(unknown.status != 0 && unknown.error.contains("gateway, backend-api, matching-engine or ai-agent"), "\(unknown.error)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func settingsComeFromFlagsThenTheEnvironmentThenTheSettingsFile() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("settings.yaml")
        try "logLevel: loud\ntraceSampleRatio: 2\nopsPort: many\nregion: jp-tokyo\n".write(to: file, atomically: true, encoding: .utf8)
        let arguments = ["serve", "--role", "matching-engine", "--insecure-internal", "--settings", file.path,
                         "--config-dir", PlatformHarness.configDirectory.path, "--data-dir", folder.path]
        let fromFile = try await Self.run(arguments)
        #expect(fromFile.status == 1)
        for problem in ["logLevel (--log-level, IWORKZ_LOG_LEVEL) must be one of", "traceSampleRatio (--trace-sample-ratio, IWORKZ_TRACE_SAMPLE_RATIO) must be a number from 0.0 to 1.0, not 2",
                        "opsPort (--ops-port, IWORKZ_OPS_PORT) must be a whole number from 0 to 65535, not many", "--role matching-engine needs --topology"] {
            #expect(fromFile.error.contains(problem), "\(problem) in \(fromFile.error)")
        }
        #expect(!fromFile.error.contains("needs --region"), "the file's region is read")
        #expect(fromFile.error.split(separator: "\n").count == 1, "one line")

        // The environment overrides the file, and a flag the environment.
        let overridden = try await Self.run(arguments + ["--trace-sample-ratio", "0.5"],
                                            environment: ["IWORKZ_LOG_LEVEL": "debug", "IWORKZ_TRACE_SAMPLE_RATIO": "7", "IWORKZ_OPS_PORT": "0"])
        #expect(overridden.status == 1)
        #expect(!overridden.error.contains("logLevel") && !overridden.error.contains("traceSampleRatio") && !overridden.error.contains("opsPort"),
                "\(overridden.error)")
        #expect(overridden.error.contains("--role matching-engine needs --topology"))

        let missing = try await Self.run(["serve", "--settings", folder.appendingPathComponent("none.yaml").path])
        #expect(missing.status == 1 && missing.error.contains("cannot read the settings file"), "\(missing.error)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func complianceCheckPassesOnTheShippedConfiguration() async throws {
        // On a day when every table of legal data is current: the Japanese wages are due on 2026-10-01.
        let run = try await Self.run(["compliance", "check", "--config-dir", PlatformHarness.configDirectory.path, "--on", "2026-09-30"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("ap-southeast-1 → ap-northeast-1 (JP): sg-legally-bound"))
        #expect(run.output.contains("ok   legal data: minimum wages JP (as of 2025-09-05, revision due 2026-10-01"))
        #expect(run.output.contains("compliance check passed"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func complianceCheckFailsOnLegalDataPastItsRevisionDay() async throws {
        let run = try await Self.run(["compliance", "check", "--config-dir", PlatformHarness.configDirectory.path, "--on", "2026-10-01"])
        #expect(run.status == 1)
        #expect(run.output.contains("LATE legal data: minimum wages JP (as of 2025-09-05, revision due 2026-10-01"))
        #expect(run.output.contains("ok   legal data: minimum wages KR"))
        #expect(run.error.hasPrefix("error: 1 table(s) of legal data past their revision day on 2026-10-01"), "\(run.error)")
        let badDay = try await Self.run(["compliance", "check", "--config-dir", PlatformHarness.configDirectory.path, "--on", "tomorrow"])
        #expect(badDay.status != 0)
        #expect(badDay.error.contains("--on must be a date as YYYY-MM-DD"))
    }

    /// One AWS region for every region's bucket puts the Korean, EU, US and UK documents in Japan.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func complianceCheckJudgesWhereDocumentsRest() async throws {
        let base = ["compliance", "check", "--config-dir", PlatformHarness.configDirectory.path, "--on", "2026-09-30", "--object-store", "s3://iworkz-{region}"]
        let run = try await Self.run(base + ["--s3-region", "ap-northeast-1"])
        #expect(run.status == 1)
        #expect(run.output.contains("ok   jp-tokyo documents → S3 ap-northeast-1 (JP)"))
        #expect(run.output.contains("FAIL kr-seoul documents → S3 ap-northeast-1 (JP)"))
        #expect(run.error.hasPrefix("error: 4 compliance violation(s)"), "\(run.error)")
        #expect(run.error.contains("kr-seoul's documents would rest in JP (S3 location ap-northeast-1), outside its data residency (Korea only)"))

        let own = try await Self.run(base + ["--s3-endpoint", "http://127.0.0.1:8333"])
        #expect(own.status == 0, "an undeclared place of the operator's own service is shown, not failed: \(own.error)")
        #expect(own.output.contains("??   kr-seoul documents → S3 undeclared (--s3-location)"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func complianceCheckFailsOnAnUnlawfulBackupRegion() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in try FileManager.default.contentsOfDirectory(atPath: PlatformHarness.configDirectory.path) where name != "regions.yaml" {
            try FileManager.default.copyItem(at: PlatformHarness.configDirectory.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let regions = try String(contentsOf: PlatformHarness.configDirectory.appendingPathComponent("regions.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "      - target: local-kr-cloud\n", with: "      - target: local-kr-cloud\n      - target: us-west-2\n")
        try regions.write(to: folder.appendingPathComponent("regions.yaml"), atomically: true, encoding: .utf8)
        let run = try await Self.run(["compliance", "check"], environment: ["IWORKZ_CONFIG_DIR": folder.path])
        #expect(run.status == 1)
        #expect(run.output.contains("FAIL kr-seoul → us-west-2"))
        #expect(run.error.hasPrefix("error: 2 compliance violation(s)"))
        #expect(run.error.contains("outside the cell's data residency (Korea only)"))

        let serve = try await Self.run(["serve", "--config-dir", folder.path, "--data-dir", folder.appendingPathComponent("data").path, "--port", "0"])
        #expect(serve.status == 1, "serve refuses an unlawful configuration")
        #expect(serve.error.contains("configuration is not lawful"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func aBrokenConfigurationIsOneClearLine() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "default_region: jp-tokyo\nregions: [{id: jp-tokyo}]\n".write(to: folder.appendingPathComponent("regions.yaml"), atomically: true, encoding: .utf8)
        let run = try await Self.run(["regions", "--config-dir", folder.path])
        #expect(run.status == 1)
        #expect(run.error.hasPrefix("error: regions file: missing key"))
        #expect(run.error.split(separator: "\n").count == 1)
        let missing = try await Self.run(["regions", "--config-dir", "/nonexistent"])
        #expect(missing.status == 1)
        #expect(missing.error.contains("has no regions.yaml"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func regionsPrintsTheSovereigntyTable() async throws {
        let run = try await Self.run(["regions", "--config-dir", PlatformHarness.configDirectory.path])
        #expect(run.status == 0)
        for region in ["jp-tokyo", "jp-osaka", "kr-seoul", "eu-west-1", "us-east-1", "ap-southeast-1", "uk-west-1"] {
            #expect(run.output.contains(region))
        }
        #expect(run.output.contains("standby for jp-tokyo"))
        #expect(run.output.contains("KR (PIPA)"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"),
          arguments: [["--help"], ["serve", "--help"], ["regions", "--help"], ["compliance", "--help"], ["compliance", "check", "--help"], ["openapi", "--help"], ["keys", "rotate", "--help"], ["certs", "init", "--help"]])
    func everyCommandHasHelp(arguments: [String]) async throws {
        let run = try await Self.run(arguments)
        #expect(run.status == 0)
        #expect(run.output.contains("USAGE: iworkz"))
        #expect(run.output.contains("OVERVIEW:"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func openAPIPrintsTheDocument() async throws {
        let run = try await Self.run(["openapi"])
        #expect(run.status == 0)
        #expect(run.output == (try String(contentsOf: PlatformHarness.openAPIPath, encoding: .utf8)))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func serveStopsGracefullyOnSIGTERM() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Subprocess.run(
            .path(FilePath(Self.executable.path)),
            arguments: ["serve", "--port", "0", "--demo", "--config-dir", PlatformHarness.configDirectory.path],
            environment: .inherit.updating(Self.overrides(["IWORKZ_DATA_DIR": folder.path])),
            input: .none,
            output: .sequence,
            error: .combinedWithOutput
        ) { execution in
            // A server that never says it listens is killed after a minute rather than holding the suite.
            let watchdog = Task {
                try await Task.sleep(for: .seconds(60))
                try? execution.send(signal: .kill)
            }
            defer { watchdog.cancel() }
            var seen: [String] = []
            for try await line in execution.standardOutput.strings() {
                seen.append(line)
                if line.contains("iworkz listening") {
                    watchdog.cancel()
                    try execution.send(signal: .terminate)
                }
            }
            return seen
        }
        let log = result.closureResult.joined(separator: "\n")
        #expect(log.contains("iworkz listening"), "\(log)")
        #expect(log.contains("demo data loaded"))
        #expect(result.terminationStatus == .exited(0), "\(log)")
        #expect(log.contains("iworkz stopped"), "\(log)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cells/kr-seoul.sqlite").path))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func rotatesTheSigningKey() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await Self.run(["keys", "rotate", "--jwt", "--data-dir", folder.path])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("2 key(s) in the JWKS"), "the first run creates a key, then rotates it")
        let badBound = try await Self.run(["serve", "--max-in-flight", "0", "--data-dir", folder.path])
        #expect(badBound.status == 1)
        #expect(badBound.error.contains("maxInFlight (--max-in-flight, IWORKZ_MAX_IN_FLIGHT) must be a whole number from 1"), "\(badBound.error)")
        let missingFlag = try await Self.run(["keys", "rotate", "--data-dir", folder.path])
        #expect(missingFlag.status != 0)
        #expect(missingFlag.error.contains("--jwt"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func certsInitIssuesEachRoleOfEachRegionOnce() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["certs", "init", "--data-dir", folder.path, "--config-dir", PlatformHarness.configDirectory.path]
        let first = try await Self.run(arguments)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("28 issued, 0 kept"), "7 regions × 4 roles: \(first.output)")
        let certs = folder.appendingPathComponent("certs")
        for path in ["ca.pem", "ca-key.pem", "kr-seoul/backend-api.pem", "kr-seoul/backend-api-key.pem", "jp-tokyo/gateway.pem"] {
            #expect(FileManager.default.fileExists(atPath: certs.appendingPathComponent(path).path), "\(path)")
        }
        let pem = try String(contentsOf: certs.appendingPathComponent("jp-osaka/ai-agent.pem"), encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        let again = try await Self.run(arguments)
        #expect(again.output.contains("0 issued, 28 kept"), "\(again.output)")
        #expect(try String(contentsOf: certs.appendingPathComponent("jp-osaka/ai-agent.pem"), encoding: .utf8) == pem)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path), "build the iworkz executable first"))
    func serveNeedsBothTLSFilesAndReadableOnes() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let alone = try await Self.run(["serve", "--tls-cert", "/nonexistent/cert.pem", "--data-dir", folder.path, "--port", "0"])
        #expect(alone.status != 0)
        #expect(alone.error.contains("--tls-cert and --tls-key go together"), "\(alone.error)")
        let missing = try await Self.run(["serve", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem",
                                          "--data-dir", folder.path, "--port", "0"])
        #expect(missing.status == 1)
        #expect(missing.error.hasPrefix("error: cannot read the TLS certificate /nonexistent/cert.pem"), "\(missing.error)")
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
        let intact = try await Self.run(arguments)
        #expect(intact.status == 0, "\(intact.error)")
        #expect(intact.output.contains("ok   kr-seoul: 2 entries, chain intact"))
        try await platform.cell("kr-seoul")!.database.sql.raw("UPDATE audit_log SET event = 'transfer-refused' WHERE seq = 2").run()
        await platform.close()
        let tampered = try await Self.run(arguments)
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("FAIL kr-seoul: entry 2 was altered"))
        #expect(tampered.error.hasPrefix("error: audit log tampered with in 1 cell(s)"))
    }

    /// The same check on a cell whose database is PostgreSQL: the head file stays in the data folder.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path) && TestDatabases.postgresURL != nil,
                   "needs the iworkz executable and IWORKZ_TEST_POSTGRES_URL"))
    func auditVerifyReadsPostgreSQL() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        let databases = TestDatabases()
        defer { try? FileManager.default.removeItem(at: folder) }
        let template = try #require(try databases.urlTemplate(.postgres, perRegion: true))
        do {
            let platform = try await PlatformHarness.start(
                dataDirectory: folder, databases: .postgres(PostgresDeployment(primary: template, createDatabase: true)))
            let audit = try #require(platform.cell("kr-seoul")).audit
            try await audit.append(event: "consent-given", details: ["consent_id": "c1"])
            try await audit.append(event: "transfer-allowed", details: ["consent_id": "c1"])
            let arguments = ["audit", "verify", "--data-dir", folder.path, "--config-dir", PlatformHarness.configDirectory.path,
                             "--region", "kr-seoul", "--database-url", template]
            let intact = try await Self.run(arguments)
            #expect(intact.status == 0, "\(intact.error)")
            #expect(intact.output.contains("ok   kr-seoul: 2 entries, chain intact"), "\(intact.output)")
            try await platform.cell("kr-seoul")!.database.sql.raw("UPDATE audit_log SET event = 'transfer-refused' WHERE seq = 2").run()
            await platform.close()
            let tampered = try await Self.run(arguments)
            #expect(tampered.status == 1)
            #expect(tampered.output.contains("FAIL kr-seoul: entry 2 was altered"), "\(tampered.output)")
            let missing = try await Self.run(["audit", "verify", "--data-dir", folder.path, "--config-dir", PlatformHarness.configDirectory.path,
                                              "--region", "kr-seoul", "--database-url", template.replacingOccurrences(of: "{region}", with: "nowhere_{region}")])
            #expect(missing.status == 1)
            #expect(missing.error.contains("does not exist"), "\(missing.error)")
        } catch {
            await databases.closeAll()
            throw error
        }
        await databases.closeAll()
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

        let rotated = try await Self.run(["keys", "rotate", "--kek", "--region", "kr-seoul", "--data-dir", folder.path,
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
        let neither = try await Self.run(["keys", "rotate", "--data-dir", folder.path])
        #expect(neither.status != 0)
    }
}
