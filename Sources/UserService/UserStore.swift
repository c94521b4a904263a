public import Sovereignty

/// Where a cell keeps its people. One store per cell; it never holds another jurisdiction's people.
public protocol UserStore: Sendable {
    /// Inserts a new person with an optional bcrypt password hash; throws ``UserStoreError/emailTaken``
    /// when the email is registered.
    func insert(_ user: User, passwordHash: String?) async throws
    /// The person with this email and their password hash, for sign-in in their home cell.
    func credentials(email: String) async throws -> (user: User, passwordHash: String)?
    func find(_ id: RegionalID) async throws -> User?
    /// Whether someone of the cell has this email (compared without case).
    func isRegistered(email: String) async throws -> Bool
    /// Replaces a person's mutable fields.
    func update(_ user: User) async throws
    /// Erases a person: destroys their data key and deletes their row. Returns whether anything was there.
    @discardableResult
    func erase(_ id: RegionalID) async throws -> Bool
}

public enum UserStoreError: Error, Equatable {
    case emailTaken
}
