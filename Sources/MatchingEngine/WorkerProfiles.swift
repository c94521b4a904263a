public import Sovereignty
public import UserService

/// Where the matching engine reads the calling worker's profile: the port between matching and the
/// region's user store. In one process it is the store itself (``StoredWorkerProfiles``); when the
/// engine runs apart, the region's backend-api answers it over mTLS (Peering's `HTTPWorkerProfiles`).
/// Either way the profile never leaves the worker's region.
public protocol WorkerProfiles: Sendable {
    /// The worker's profile as a matching query; nil when the person is unknown or erased, or has no
    /// worker profile.
    func query(for worker: RegionalID) async throws -> WorkerQuery?
}

/// The worker profiles of a user store in the same process.
public struct StoredWorkerProfiles: WorkerProfiles {
    let users: any UserStore

    public init(users: any UserStore) {
        self.users = users
    }

    public func query(for worker: RegionalID) async throws -> WorkerQuery? {
        guard let person = try await users.find(worker), let profile = person.profile else { return nil }
        return WorkerQuery(worker: person, profile: profile)
    }
}
