internal import HummingbirdBcrypt
internal import NIOPosix
public import ServerKit

/// bcrypt through hummingbird-auth, on the NIO thread pool so hashing never blocks an event loop.
public struct BcryptPasswords: PasswordHashing {
    /// The work factor: 12 in production; tests may lower it (minimum 4).
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = max(4, min(cost, 31))
    }

    /// bcrypt reads at most this many bytes; a longer password would be cut silently, so two passwords
    /// sharing their first 72 bytes would both sign in. Longer ones are refused instead.
    public static let maximumBytes = 72

    public func hash(_ password: String) async throws -> String {
        guard password.utf8.count <= Self.maximumBytes else { throw PasswordTooLong() }
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        guard password.utf8.count <= Self.maximumBytes else { return false }
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

/// A password longer than bcrypt reads.
public struct PasswordTooLong: Error {}
