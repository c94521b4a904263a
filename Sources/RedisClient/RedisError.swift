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

    /// Whether the failure says the server (or the cluster) cannot serve now rather than that the
    /// request was wrong: worth a retry shortly. Error replies of a cluster without a quorum, a
    /// slot mid-migration, a server still loading its data or a replica without its master count.
    public var isUnavailability: Bool {
        switch self {
        case .timeout, .connectionClosed, .unreachable: true
        case .server(let message): ["CLUSTERDOWN", "TRYAGAIN", "LOADING", "MASTERDOWN"].contains { message.hasPrefix($0) }
        case .protocolViolation, .invalidConfiguration, .unexpectedReply: false
        }
    }

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
