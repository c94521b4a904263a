public import Sovereignty

/// A store that holds records about people; erasure asks each one to remove a person's records.
public protocol PersonalRecords: Sendable {
    /// A short name for reports (`documents`, `consents`).
    var recordKind: String { get }
    /// Removes every record about the person; returns how many it removed.
    func erase(person: RegionalID) async throws -> Int
}
