/// Issues an access token for a person who has just proven who they are (registration, sign-in).
/// The seam between the services and the identity provider.
public protocol AccessTokenMinting: Sendable {
    func mint(for principal: Principal) async throws -> String
}
