public import Foundation

/// Where and how to reach Redis: `redis://[[user]:password@]host[:port][/db]`.
public struct RedisConfiguration: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// Connections kept open; commands are pipelined over them round-robin.
    public var connections: Int
    public var connectTimeout: Duration
    public var commandTimeout: Duration
    /// 2 or 3: RESP3 is negotiated with `HELLO 3` when asked for.
    public var protocolVersion: Int

    public init(host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
                database: Int = 0, connections: Int = 4, connectTimeout: Duration = .seconds(2),
                commandTimeout: Duration = .seconds(2), protocolVersion: Int = 2) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connections = connections
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.protocolVersion = protocolVersion
    }

    /// Parses a `redis://` URL.
    public init(url text: String) throws(RedisError) {
        guard let url = URLComponents(string: text), url.scheme == "redis", let host = url.host, !host.isEmpty else {
            throw RedisError.invalidConfiguration("expected redis://host[:port][/db], got a malformed URL")
        }
        self.init(host: host, port: url.port ?? 6379)
        if let user = url.user, !user.isEmpty { username = user.removingPercentEncoding }
        password = url.password?.removingPercentEncoding
        let path = url.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else { throw RedisError.invalidConfiguration("database must be a number") }
            database = number
        }
    }
}
