internal import Crypto
internal import Foundation

/// A Lua script with its SHA1, so it can be run with EVALSHA and sent in full only once per server.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = Insecure.SHA1.hash(data: Data(source.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
