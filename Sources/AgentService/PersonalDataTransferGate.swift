public import Sovereignty

/// Decides, in the person's home cell, whether their personal data may go to a destination for a
/// purpose, and records the decision. The agent asks before it sends a person's text to a model
/// processing elsewhere.
public protocol PersonalDataTransferGate: Sendable {
    func authorize(person: RegionalID, destination: String, purpose: String) async throws -> TransferAuthorization
}

/// The gate's answer.
public struct TransferAuthorization: Sendable, Equatable {
    public let allowed: Bool
    /// Why, for the caller; names the missing basis when refused.
    public let detail: String

    public init(allowed: Bool, detail: String) {
        self.allowed = allowed
        self.detail = detail
    }
}
