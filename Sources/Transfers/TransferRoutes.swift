public import Foundation
public import Hummingbird
internal import Tracing
public import JobService
public import ServerKit
public import Sovereignty
public import UserService
internal import Workforce

/// Consents and cross-border applications, in the worker's home cell; received applications, in
/// the employer's cell. A worker's data leaves the cell only when ``TransferPolicy`` allows it on a
/// basis the worker has given, and only the purpose's minimum data set; every decision, allowed or
/// not, is appended to the audit log.
public struct TransferRoutes: Sendable {
    let cell: CellIdentity
    let policy: TransferPolicy
    let purposes: TransferPurposes
    let users: any UserStore
    let jobs: any JobStore
    let consents: ConsentStore
    let applications: ApplicationStore
    let audit: AuditLog
    let delivery: any ApplicationDelivery
    /// Kept current with every consent write (candidate discovery reads it).
    let pool: CandidatePool
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, policy: TransferPolicy, purposes: TransferPurposes, users: any UserStore, jobs: any JobStore,
                consents: ConsentStore, applications: ApplicationStore, audit: AuditLog, delivery: any ApplicationDelivery,
                pool: CandidatePool, now: @escaping @Sendable () -> Date = Date.init) {
        self.pool = pool
        self.cell = cell
        self.policy = policy
        self.purposes = purposes
        self.users = users
        self.jobs = jobs
        self.consents = consents
        self.applications = applications
        self.audit = audit
        self.delivery = delivery
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/api/v1/users/me/consents"), (.post, "/api/v1/users/me/consents"), (.delete, "/api/v1/users/me/consents/{id}"),
        (.get, "/api/v1/users/me/applications"), (.post, "/api/v1/users/me/applications"), (.get, "/api/v1/jobs/{id}/applications"),
        (.get, "/api/v1/transfers/notice"),
    ]

    /// The endpoints above that answer without a bearer token: the notices people read before consenting.
    public static let anonymousPaths: [(method: HTTPRequest.Method, path: String)] = [(.get, "/api/v1/transfers/notice")]

    public func add(to router: Router<AppRequestContext>) {
        router.get("/api/v1/transfers/notice") { request, _ in try notice(request) }
        router.get("/api/v1/users/me/consents") { _, context in try await listConsents(context) }
        router.post("/api/v1/users/me/consents") { request, context in try await giveConsent(request, context) }
        router.delete("/api/v1/users/me/consents/{id}") { _, context in try await withdrawConsent(context) }
        router.get("/api/v1/users/me/applications") { _, context in try await sentApplications(context) }
        router.post("/api/v1/users/me/applications") { request, context in try await apply(request, context) }
        router.get("/api/v1/jobs/{id}/applications") { _, context in try await receivedApplications(context) }
    }

    // MARK: Consents

    struct Notice: Codable {
        let destination: String
        let purpose: String
        let version: String
        let language: String
        let text: String
    }

    private func purpose(_ id: String, pointer: String) throws -> TransferPurposes.Purpose {
        guard let purpose = purposes.purposes[id] else {
            throw Problem.validationFailed([.init(pointer: pointer, detail: "unknown purpose; one of \(purposes.purposes.keys.sorted().joined(separator: ", "))")])
        }
        return purpose
    }

    private func notice(for purpose: TransferPurposes.Purpose, destination: Jurisdiction, language: String, pointer: String) throws -> Notice {
        guard let info = policy.jurisdictions.first(where: { $0.code == destination }) else {
            throw Problem.validationFailed([.init(pointer: "/destination", detail: "unknown jurisdiction \(destination.code.prefix(8))")])
        }
        guard TransferPurposes.languages.contains(language) else {
            throw Problem.validationFailed([.init(pointer: pointer, detail: "one of \(TransferPurposes.languages.joined(separator: ", "))")])
        }
        let name = purposes.destinationName(of: destination.code, fallback: info.name, language: language)
        let system = purposes.protectionSystem(of: destination.code, name: name, language: language)
        return Notice(destination: destination.code, purpose: purpose.id, version: purpose.noticeVersion, language: language,
                      text: purpose.notice(destination: name, law: info.law, protectionSystem: system, language: language))
    }

    func notice(_ request: Request) throws -> Response {
        let query = request.formQuery
        let destination = Jurisdiction(query["destination"] ?? "")
        let purpose = try purpose(query["purpose"] ?? "", pointer: "?purpose")
        return try .json(try notice(for: purpose, destination: destination, language: query["lang"] ?? "en", pointer: "?lang"))
    }

    struct ConsentRequest: Codable {
        let destination: String
        let purpose: String
        let noticeVersion: String
        /// The language the notice was read in (`en` by default): the text kept with the consent is that one.
        let language: String?
        enum CodingKeys: String, CodingKey {
            case destination, purpose, language
            case noticeVersion = "notice_version"
        }
    }

    private func worker(_ context: AppRequestContext) throws -> Principal {
        let principal = try context.requirePrincipal()
        try cell.requireHome(principal.userID)
        return principal
    }

    func giveConsent(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let person = try worker(context)
        let body = try await StrictJSON.decode(ConsentRequest.self, from: request)
        let purpose = try purpose(body.purpose, pointer: "/purpose")
        let shown = try notice(for: purpose, destination: Jurisdiction(body.destination), language: body.language ?? "en", pointer: "/language")
        guard body.noticeVersion == shown.version else {
            throw Problem("notice-changed", status: .conflict, title: "The notice has changed",
                          detail: "consent was given to notice \(body.noticeVersion.prefix(32)); the current notice is \(shown.version) — show it again")
        }
        // The form the home jurisdiction's law requires: this request, made for this consent alone after the
        // notice carrying every regime's list, is that form.
        let kind = policy.consentKind(of: cell.region.jurisdiction)
        // Consenting again to the notice already agreed to changes nothing: the consent in force answers.
        if let existing = try await consents.active(for: person.userID, destination: shown.destination, purpose: purpose.id),
           existing.noticeVersion == shown.version, existing.kind == kind {
            return try .json(existing, status: .ok, headers: [.cacheControl: "private, no-store"])
        }
        let consent = Consent(id: UUID().uuidString.lowercased(), userID: person.userID, destination: shown.destination, purpose: purpose.id,
                              noticeVersion: shown.version, noticeText: shown.text, kind: kind, givenAt: Timestamps.format(now()))
        try await consents.insert(consent)
        try await pool.refresh(person.userID)
        try await audit.append(event: "consent-given", details: ["consent_id": consent.id, "user_id": person.userID.description,
                                                                  "destination": consent.destination, "purpose": consent.purpose,
                                                                  "notice_version": consent.noticeVersion, "kind": consent.kind.rawValue], at: now())
        return try .json(consent, status: .created, headers: [.cacheControl: "private, no-store"])
    }

    func listConsents(_ context: AppRequestContext) async throws -> Response {
        let person = try worker(context)
        return try .json(["consents": try await consents.list(for: person.userID)], headers: [.cacheControl: "private, no-store"])
    }

    func withdrawConsent(_ context: AppRequestContext) async throws -> Response {
        let person = try worker(context)
        let id = try context.parameters.require("id")
        guard let consent = try await consents.withdraw(id, of: person.userID, at: Timestamps.format(now())) else {
            throw Problem.notFound("no consent \(id.prefix(40)) of this person")
        }
        try await pool.refresh(person.userID)
        try await audit.append(event: "consent-withdrawn", details: ["consent_id": consent.id, "user_id": person.userID.description,
                                                                      "destination": consent.destination, "purpose": consent.purpose], at: now())
        return try .json(consent, headers: [.cacheControl: "private, no-store"])
    }

    // MARK: Applications

    struct ApplyRequest: Codable {
        let jobID: String
        enum CodingKeys: String, CodingKey {
            case jobID = "job_id"
        }
    }

    func apply(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let person = try worker(context)
        guard person.role == .worker else { throw Problem.forbidden("only workers apply to jobs") }
        let body = try await StrictJSON.decode(ApplyRequest.self, from: request)
        guard let jobID = RegionalID(body.jobID), jobID.kind == .job else {
            throw Problem.validationFailed([.init(pointer: "/job_id", detail: "must be a job id")])
        }
        guard let job = try await jobs.find(jobID), job.status == .open else { throw Problem.notFound("no open job \(jobID)") }
        guard let worker = try await users.find(person.userID) else { throw Problem.notFound("no record for the token's user") }
        if let existing = try await applications.sent(by: person.userID).first(where: { $0.jobID == jobID }) {
            throw Problem("already-applied", status: .conflict, title: "Already applied",
                          detail: "the worker applied to \(jobID) already (application \(existing.id))",
                          members: ["application_id": existing.id.description])
        }
        guard let destinationRegion = cell.catalog.region(job.originRegion) else {
            throw Problem.unknownRegion("the job's region \(job.originRegion) is not configured")
        }
        let purpose = try purpose("job-application", pointer: "/purpose")
        let source = cell.region.jurisdiction, destination = destinationRegion.jurisdiction
        let consent = try await consents.active(for: person.userID, destination: destination.code, purpose: purpose.id)
        // A consent counts only in the form the source's law requires (an older, unrecorded one does not).
        let evidenced = consent.map { $0.kind == policy.consentKind(of: source) } ?? false
        var question = TransferPolicy.Request(from: source, to: destination, dataClasses: [.personal], recipient: purpose.recipient,
                                              flow: purpose.flow, day: Timestamps.day(now()), bases: evidenced ? [.consent] : [],
                                              recipientID: job.employerID.description)
        // Counted only for a recipient a bulk restriction covers: other applications skip the query.
        if let restriction = policy.bulkRestriction(on: question) {
            question.personsBefore = try await applications.workersSent(
                to: job.employerID, since: Timestamps.format(now().addingTimeInterval(-Double(restriction.windowDays) * 86_400)))
        }
        let decision = withSpan("transfer decision") { span in
            let decision = policy.decide(question)
            // Jurisdictions, the rule and the outcome: the decision's shape, nothing about the person.
            span.attributes["iworkz.transfer.source"] = source.code
            span.attributes["iworkz.transfer.destination"] = destination.code
            span.attributes["iworkz.transfer.purpose"] = purpose.id
            span.attributes["iworkz.transfer.rule"] = decision.ruleID
            span.attributes["iworkz.transfer.outcome"] = decision.outcome.rawValue
            return decision
        }
        let record = TransferRecord(
            source: source.code, destination: destination.code, outcome: decision.outcome.rawValue, rule: decision.ruleID,
            article: decision.article, basis: decision.basis?.rawValue, reason: decision.reason,
            consentID: decision.reliesOnConsent ? consent?.id : nil, fields: purpose.minimumData, duty: decision.duty)
        let applicationID = RegionalID.generate(kind: .application, regionCode: cell.region.idCode,
                                                millisecondsSince1970: Timestamps.milliseconds(now()))
        // With the employer and the fields, the entry is the record of the provision APPI Art. 29 and
        // PIPA ask for; the audit log keeps it (it is never pruned, and erasure leaves it).
        try await audit.append(event: decision.isAllowed ? "transfer-allowed" : "transfer-refused", details: AuditDetails(
            application: applicationID.description, job: jobID.description, employer: job.employerID.description,
            worker: person.userID.description, transfer: record), at: now())
        guard decision.isAllowed else {
            throw Problem("transfer-not-permitted", status: .forbidden, title: "The application cannot be sent",
                          detail: decision.refusalDetail(destination: destination.code, purpose: purpose.id))
        }
        let created = Timestamps.format(now())
        let received = Application(id: applicationID, direction: .received, jobID: jobID, workerID: person.userID, employerID: job.employerID,
                                   counterpartRegion: cell.region.id, applicant: Self.minimumData(of: worker, fields: purpose.minimumData),
                                   transfer: record, createdAt: created)
        try await delivery.deliver(received, to: cell.servedRegion(for: destinationRegion))
        let sent = Application(id: applicationID, direction: .sent, jobID: jobID, workerID: person.userID, employerID: job.employerID,
                               counterpartRegion: cell.servedRegion(for: destinationRegion), applicant: nil, transfer: record, createdAt: created)
        try await applications.insert(sent)
        return try .json(sent, status: .created, headers: [.cacheControl: "private, no-store"])
    }

    struct AuditDetails: Encodable, Sendable {
        let application: String
        let job: String
        let employer: String
        let worker: String
        let transfer: TransferRecord
    }

    /// Only the fields the purpose names leave the cell.
    static func minimumData(of user: User, fields: [String]) -> Applicant {
        var applicant = Applicant()
        let wanted = Set(fields)
        if wanted.contains("display_name") { applicant.displayName = user.displayName }
        if wanted.contains("skills") { applicant.skills = user.profile?.skills }
        if wanted.contains("languages") { applicant.languages = user.profile?.languages }
        if wanted.contains("residence_status") { applicant.residenceStatus = user.profile?.residence?.status }
        if wanted.contains("desired_salary") { applicant.desiredSalary = user.profile?.desiredSalary }
        if wanted.contains("location") { applicant.location = user.profile?.location }
        if wanted.contains("desired_area"), let place = user.profile?.location {
            applicant.desiredArea = Place(country: place.country, prefecture: place.prefecture)
        }
        return applicant
    }

    func sentApplications(_ context: AppRequestContext) async throws -> Response {
        let person = try worker(context)
        return try .json(["applications": try await applications.sent(by: person.userID)], headers: [.cacheControl: "private, no-store"])
    }

    func receivedApplications(_ context: AppRequestContext) async throws -> Response {
        let employer = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        guard let jobID = RegionalID(id), jobID.kind == .job else { throw Problem.malformedID("\(id.prefix(64)) is not a job id") }
        try cell.requireHome(jobID)
        guard let job = try await jobs.find(jobID) else { throw Problem.notFound("no job \(jobID)") }
        guard job.employerID == employer.userID else { throw Problem.forbidden("only the employer who posted the job reads its applications") }
        return try .json(["applications": try await applications.received(for: jobID)], headers: [.cacheControl: "private, no-store"])
    }
}

/// Receives applications delivered to this cell and records them in its audit log.
public struct ApplicationIntake: Sendable {
    let applications: ApplicationStore
    let audit: AuditLog

    public init(applications: ApplicationStore, audit: AuditLog) {
        self.applications = applications
        self.audit = audit
    }

    public func receive(_ application: Application) async throws {
        try await audit.append(event: "application-received", details: TransferRoutes.AuditDetails(
            application: application.id.description, job: application.jobID.description, employer: application.employerID.description,
            worker: application.workerID.description, transfer: application.transfer))
        try await applications.insert(application)
    }

    /// ``receive(_:)``, unless this application was received already: a delivery retried after a lost
    /// answer is neither stored nor audited twice.
    public func receiveOnce(_ application: Application) async throws {
        guard try await !applications.contains(application.id, direction: .received) else { return }
        try await receive(application)
    }

    /// The worker's home cell erased them: delete what this cell received from them.
    public func retract(worker: RegionalID) async throws {
        let removed = try await applications.erase(person: worker)
        try await audit.append(event: "applications-retracted", details: Retraction(worker: worker.description, applications: removed))
    }

    struct Retraction: Encodable, Sendable {
        let worker: String
        let applications: Int
    }
}
