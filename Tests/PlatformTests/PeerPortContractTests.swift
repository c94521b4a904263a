import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import JobService
import Logging
import MutualTLS
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Peering
@testable import Platform
import ServiceLifecycle
import Sovereignty
import Storage
import Synchronization
import Testing
import TestSupport
@testable import Transfers
import Workforce

/// One contract for both adapters of the cross-region ports — catalog replication, application
/// delivery and retraction, candidate cards: called in process, or over mTLS through a region's
/// backend-api listener, they leave the receiving region in the same state.
@Suite("Cross-region ports: in-process and HTTP adapters")
struct PeerPortContractTests {
    enum Adapter: String, CaseIterable, Sendable {
        case inProcess = "in-process", http = "HTTP over mTLS"
    }

    struct Ports: Sendable {
        /// Writes a posting in its origin region and carries it to jp-tokyo.
        let publish: @Sendable (Job) async throws -> Void
        let delivery: any ApplicationDelivery
        /// Tells jp-tokyo of an erasure and waits until it was told.
        let erased: @Sendable (RegionalID) async throws -> Void
        let cards: any CandidateCardSource
    }

    static let japan = RegionID("jp-tokyo")
    static let korea = RegionID("kr-seoul")

    @Test(arguments: Adapter.allCases)
    func bothAdaptersLeaveTheReceivingRegionInTheSameState(_ adapter: Adapter) async throws {
        try await RegionProcess.withBackend(Self.japan) { backend in
            let korea = ServiceIdentity(region: "kr-seoul", role: .backendAPI)
            try await backend.withClient(as: korea) { client in
                try await KoreanOrigin.with { origin in
                    let ports = adapter == .inProcess ? Self.inProcess(backend.role)
                        : backend.httpPorts(as: korea, client: client, origin: origin)
                    try await Self.checkContract(ports, cell: backend.role.cell)
                }
            }
        }
    }

    static func checkContract(_ ports: Ports, cell: Cell) async throws {
        let employerJob = job(origin: japan, code: "jp1", updated: "2026-12-01T00:00:00.000Z")
        try await cell.jobs.upsert(employerJob)

        // Replication applies a newer version, ignores an older one, and is idempotent.
        let newer = job(origin: korea, code: "kr1", updated: "2026-12-02T00:00:00.000Z")
        var older = newer
        older.updatedAt = "2026-12-01T00:00:00.000Z"
        older.content.title = "Old title"
        try await ports.publish(newer)
        try await ports.publish(newer)
        try await ports.publish(older)
        let stored = try await cell.jobs.find(newer.id)
        #expect(stored?.updatedAt == newer.updatedAt)
        #expect(stored?.content.title == newer.content.title)

        // A delivery retried after a lost answer is stored once; the worker's erasure removes it.
        let application = application(for: employerJob)
        try await ports.delivery.deliver(application, to: japan)
        try await ports.delivery.deliver(application, to: japan)
        #expect(try await cell.applications.received(for: employerJob.id).map(\.id) == [application.id])
        try await ports.erased(application.workerID)
        #expect(try await cell.applications.received(for: employerJob.id).isEmpty)

        // Nobody in jp-tokyo opted in to being shown in Korea: no card leaves.
        #expect(try await ports.cards.cards(for: newer, requestedBy: korea, limit: 5).isEmpty)
    }

    /// The in-process adapters the all-in-one platform wires, aimed at the same cell.
    static func inProcess(_ role: BackendAPIRole) -> Ports {
        let cell = role.cell
        let catalog = role.configuration.catalog
        return Ports(
            publish: { job in try await InProcessJobReplicator(stores: [japan: cell.jobs]).replicate(job) },
            delivery: InProcessApplicationDelivery(intakes: [japan: ApplicationIntake(applications: cell.applications, audit: cell.audit)]),
            erased: { person async throws in
                let told = try await InProcessErasureNotices(intakes: [japan: ApplicationIntake(applications: cell.applications, audit: cell.audit)])
                    .erased(person, recipients: [japan])
                #expect(told == [japan])
            },
            cards: cell.candidateDiscovery(catalog: catalog, policy: role.configuration.policy, purposes: role.configuration.transferPurposes))
    }

    static func job(origin: RegionID, code: String, updated: String) -> Job {
        Job(id: RegionalID.generate(kind: .job, regionCode: code, millisecondsSince1970: 1_765_000_000_000),
            employerID: RegionalID.generate(kind: .user, regionCode: code, millisecondsSince1970: 1_765_000_000_000),
            originRegion: origin, status: .open,
            content: JobContent(title: "Welder", description: "Steel frame welding.", requiredSkills: ["welding"], minimumLanguage: nil,
                                eligibleResidenceStatuses: [], location: Place(country: code == "jp1" ? "JP" : "KR"), salary: nil,
                                employmentType: .fullTime),
            createdAt: "2026-12-01T00:00:00.000Z", updatedAt: updated)
    }

    /// A Korean worker's application to a Japanese job, as kr-seoul's cell hands it over.
    static func application(for job: Job, worker: RegionalID? = nil, from region: RegionID = korea) -> Transfers.Application {
        let transfer = TransferRecord(source: "KR", destination: "JP", outcome: "allowed", rule: "kr-consent", article: "PIPA Art. 28-8(1)(1)",
                                      basis: "consent", reason: "the worker consented", consentID: nil, fields: ["skills"], duty: nil)
        return Transfers.Application(
            id: RegionalID.generate(kind: .application, regionCode: "kr1", millisecondsSince1970: 1_765_000_000_000), direction: .received,
            jobID: job.id, workerID: worker ?? RegionalID.generate(kind: .user, regionCode: "kr1", millisecondsSince1970: 1_765_000_000_000),
            employerID: job.employerID, counterpartRegion: region, applicant: nil, transfer: transfer, createdAt: "2026-12-02T00:00:00.000Z")
    }
}

/// One region's backend-api, started in this process on a free loopback port with mTLS, and clients
/// presenting any identity's certificate.
struct RegionProcess: Sendable {
    let role: BackendAPIRole
    let port: Int
    let files: CertificateFiles

    /// - Parameter port: the listener's port; 0 for any free one.
    ///   - certificates: the CA and certificates to use; new ones when nil.
    static func withBackend(_ region: RegionID, port fixedPort: Int = 0, certificates: CertificateFiles? = nil,
                            _ body: (RegionProcess) async throws -> Void) async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try certificates ?? Self.certificates(in: folder)
        let config = try LoadedConfiguration.load(from: PlatformHarness.configDirectory)
        let role = try await BackendAPIRole.start(
            config: config, region: region, dataDirectory: folder.appendingPathComponent(region.rawValue).path, peers: [:],
            transport: .mutualTLS(files), issuerURL: "https://iworkz.test", bcryptCost: 4,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let port = Mutex(0)
        let application = try role.application(host: "127.0.0.1", port: fixedPort) { bound in port.withLock { $0 = bound } }
        let group = ServiceGroup(services: [application], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            do {
                try await body(RegionProcess(role: role, port: port.withLock { $0 }, files: files))
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                await role.close()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await role.close()
    }

    /// A development CA with a certificate for every role of jp-tokyo and kr-seoul.
    static func certificates(in folder: URL) throws -> CertificateFiles {
        let files = CertificateFiles(dataDirectory: folder)
        let authority = try DevelopmentCertificateAuthority.loadOrCreate(at: files)
        for identity in ["jp-tokyo", "kr-seoul"].flatMap({ region in ServiceRole.allCases.map { ServiceIdentity(region: region, role: $0) } }) {
            try authority.issue(identity, into: files)
        }
        return files
    }

    /// A loopback port nothing listens on (bound, then released).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    var baseURL: String { "https://127.0.0.1:\(port)" }

    /// Runs `body` with a client presenting `identity`'s certificate, then shuts the client down.
    func withClient(as identity: ServiceIdentity, _ body: (HTTPClient) async throws -> Void) async throws {
        let client = try InternalTransport.mutualTLS(files).client(as: identity)
        do {
            try await body(client)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// The HTTP adapters another region's backend-api would use, with its certificate.
    func httpPorts(as caller: ServiceIdentity, client: HTTPClient, origin: KoreanOrigin) -> PeerPortContractTests.Ports {
        let peers = PeerDirectory(endpoints: [RegionID(role.identity.region): [baseURL]], caller: caller, client: client)
        let region = RegionID(role.identity.region)
        let replicator = origin.replicator(to: region, peers: peers)
        return .init(publish: { job in
                         try await origin.postings.upsert(job)
                         try await replicator.replicate(job)
                         await replicator.deliverAll()
                     },
                     delivery: HTTPApplicationDelivery(peers: peers),
                     erased: { person async throws in
                         let notifier = ErasureNotifier(database: origin.database, targets: [region], peers: peers,
                                                        logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
                         #expect(try await notifier.erased(person, recipients: [region]) == [region])
                         await notifier.deliverAll()
                         #expect(try await notifier.waiting(for: region).isEmpty, "jp-tokyo acknowledged the notice")
                     },
                     cards: HTTPCandidateCardSource(peers: peers, region: region))
    }

    /// A raw call to the listener with `identity`'s certificate; nil when the connection was refused.
    func call(as identity: ServiceIdentity, _ method: HTTPMethod, _ path: String, body: Data? = nil,
              headers: [(String, String)] = []) async throws -> (status: Int, body: String)? {
        var answer: (status: Int, body: String)?
        try await withClient(as: identity) { client in answer = try await call(client, method, path, body: body, headers: headers) }
        return answer
    }

    private func call(_ client: HTTPClient, _ method: HTTPMethod, _ path: String, body: Data?,
                      headers: [(String, String)]) async throws -> (status: Int, body: String)? {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: bytes))
        } catch {
            return nil
        }
    }
}

/// kr-seoul's side of catalog replication: a cell database holding postings, and the replicator that
/// sends them on.
struct KoreanOrigin: Sendable {
    let database: SQLiteCellDatabase
    let postings: SQLJobStore

    static func with(_ body: (KoreanOrigin) async throws -> Void) async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await SQLiteCellDatabase.open(path: folder.appendingPathComponent("kr-seoul.sqlite").path,
                                                   migrations: SQLJobStore.migrations + ReplicationCursors.migrations + ErasureNotifier.migrations,
                                                   logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        do {
            try await body(KoreanOrigin(database: database, postings: SQLJobStore(database: database)))
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }

    func replicator(to target: RegionID, peers: PeerDirectory) -> CatalogReplicator {
        CatalogReplicator(origin: RegionID("kr-seoul"), targets: [target], postings: postings, cursors: ReplicationCursors(database: database),
                          peers: peers, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, pollInterval: .milliseconds(20),
                          maxBackoff: .milliseconds(200))
    }
}
