internal import Sovereignty

extension TransferPolicy.Decision {
    /// Why a transfer was refused and the consent that would make it lawful, for the caller.
    func refusalDetail(destination: String, purpose: String) -> String {
        let missing = alternatives.map { "\($0.basis.rawValue) (\($0.article))" }.joined(separator: " or ")
        return reason + (missing.isEmpty ? "" : ". Needed: \(missing); consent to \(destination) for \(purpose) at /api/v1/users/me/consents")
    }
}
