public import Sovereignty

/// Who is calling: a person with a regional id and a role.
public struct Principal: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case worker
        case employer
    }

    public let userID: RegionalID
    public let role: Role
    /// The person's home region (the token's `rgn` claim).
    public let homeRegion: RegionID

    public init(userID: RegionalID, role: Role, homeRegion: RegionID) {
        self.userID = userID
        self.role = role
        self.homeRegion = homeRegion
    }
}
