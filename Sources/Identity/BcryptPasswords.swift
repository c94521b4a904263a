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

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
