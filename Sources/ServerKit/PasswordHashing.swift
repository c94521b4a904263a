/// Hashes and checks passwords (bcrypt in production). Implementations run the work off the event loop.
public protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
}
