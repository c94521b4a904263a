/// A failure talking to Redis.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an error reply, e.g. `NOSCRIPT No matching script`.
    case server(String)
    /// No reply within the command timeout; the connection was closed because its replies can no longer be matched.
    case timeout
    /// The connection closed before the reply arrived (the command may or may not have run).
    case connectionClosed
    /// No connection could be made, so nothing was sent: `host:port` and why.
    case unreachable(String)
    /// The server sent bytes that are not RESP.
    case protocolViolation(String)
    /// The URL or configuration is not usable.
    case invalidConfiguration(String)
    /// A reply had an unexpected shape for the command.
    case unexpectedReply(String)

    public var description: String {
        switch self {
        case .server(let message): "redis error: \(message)"
        case .timeout: "redis command timed out"
        case .connectionClosed: "redis connection closed"
        case .unreachable(let detail): "redis unreachable: \(detail)"
        case .protocolViolation(let detail): "redis protocol violation: \(detail)"
        case .invalidConfiguration(let detail): "invalid redis configuration: \(detail)"
        case .unexpectedReply(let detail): "unexpected redis reply: \(detail)"
        }
    }
}
