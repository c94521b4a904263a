public import AgentService
public import Foundation
public import ServerKit
public import Sovereignty

/// The home cell's transfer gate for the agent: ``TransferPolicy`` decides on the person's consent for
/// the destination and purpose, and every decision goes into the cell's audit log.
public struct ConsentedTransferGate: PersonalDataTransferGate {
    let cell: CellIdentity
    let policy: TransferPolicy
    /// Who receives the data and how it flows, for each purpose (`transfers.yaml`).
    let purposes: TransferPurposes
    let consents: ConsentStore
    let audit: AuditLog
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, policy: TransferPolicy, purposes: TransferPurposes, consents: ConsentStore, audit: AuditLog,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.cell = cell
        self.policy = policy
        self.purposes = purposes
        self.consents = consents
        self.audit = audit
        self.now = now
    }

    struct Details: Encodable, Sendable {
        let person: String
        let purpose: String
        let source: String
        let destination: String
        let rule: String
        let basis: String?
        let consentID: String?
        let duty: String?

        enum CodingKeys: String, CodingKey {
            case person, purpose, source, destination, rule, basis, duty
            case consentID = "consent_id"
        }
    }

    public func authorize(person: RegionalID, destination: String, purpose: String) async throws -> TransferAuthorization {
        let source = cell.region.jurisdiction, target = Jurisdiction(destination)
        let consent = try await consents.active(for: person, destination: target.code, purpose: purpose)
        // A purpose the file does not describe is refused: its recipient and flow are unknown.
        guard let described = purposes.purposes[purpose] else {
            return TransferAuthorization(allowed: false, detail: "no transfer purpose \(purpose.prefix(64)) is configured")
        }
        let evidenced = consent.map { $0.kind == policy.consentKind(of: source) } ?? false
        let decision = policy.decide(.init(from: source, to: target, dataClasses: [.personal], recipient: described.recipient,
                                           flow: described.flow, day: Timestamps.day(now()), bases: evidenced ? [.consent] : []))
        try await audit.append(event: decision.isAllowed ? "transfer-allowed" : "transfer-refused", details: Details(
            person: person.description, purpose: purpose, source: source.code, destination: target.code, rule: decision.ruleID,
            basis: decision.basis?.rawValue, consentID: decision.reliesOnConsent ? consent?.id : nil, duty: decision.duty), at: now())
        guard decision.isAllowed else {
            return TransferAuthorization(allowed: false, detail: decision.refusalDetail(destination: target.code, purpose: purpose))
        }
        return TransferAuthorization(allowed: true, detail: decision.reason)
    }
}
