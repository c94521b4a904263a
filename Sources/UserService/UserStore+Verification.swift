public import Foundation
public import Sovereignty
internal import ServerKit

extension UserStore {
    /// Marks an employer as verified by an operator (their company checked against its register);
    /// nil when there is no such employer in this store.
    public func verifyEmployer(_ id: RegionalID, at date: Date) async throws -> User? {
        guard var user = try await find(id), user.role == .employer else { return nil }
        if user.verifiedAt == nil {
            user.verifiedAt = Timestamps.format(date)
            user.updatedAt = user.verifiedAt!
            try await update(user)
        }
        return user
    }
}
