/// Where and how to reach Redis, usually read from a URL (see ``init(url:)``).
public struct RedisConfiguration: Sendable, Hashable {
    /// The server this configuration connects to (in a cluster: the first seed).
    public var host: String
    public var port: Int
    /// An ACL user (`AUTH user password`); nil authenticates as `default` when a password is set.
    public var username: String?
    public var password: String?
    public var database: Int
    /// Connections kept open per server; commands are pipelined over them round-robin.
    public var connections: Int
    public var connectTimeout: Duration
    public var commandTimeout: Duration
    /// 2 or 3: RESP3 is negotiated with `HELLO 3` when asked for.
    public var protocolVersion: Int
    /// TLS to every server, nil for plain TCP.
    public var tls: RedisTLS?
    /// Whether the servers form a Redis Cluster: the client then learns the slot map from them and
    /// sends each command to the master holding its key.
    public var isCluster: Bool
    /// Cluster nodes to learn the slot map from when no known node answers (the URL's hosts).
    public var seeds: [RedisEndpoint]
    /// In a cluster, how long a command keeps retrying while its slot has no reachable master (a
    /// failover in progress), or the cluster says `TRYAGAIN` / `CLUSTERDOWN`, before it fails.
    public var clusterRetryWindow: Duration

    public init(host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
                database: Int = 0, connections: Int = 4, connectTimeout: Duration = .seconds(2),
                commandTimeout: Duration = .seconds(2), protocolVersion: Int = 2, tls: RedisTLS? = nil,
                isCluster: Bool = false, seeds: [RedisEndpoint] = [], clusterRetryWindow: Duration = .seconds(6)) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connections = connections
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.protocolVersion = protocolVersion
        self.tls = tls
        self.isCluster = isCluster
        self.seeds = seeds.isEmpty ? [RedisEndpoint(host: host, port: port)] : seeds
        self.clusterRetryWindow = clusterRetryWindow
    }

    /// The same settings, connecting to another server (a cluster node).
    func pointing(to endpoint: RedisEndpoint) -> RedisConfiguration {
        var copy = self
        copy.host = endpoint.host
        copy.port = endpoint.port
        return copy
    }

    var endpoint: RedisEndpoint { RedisEndpoint(host: host, port: port) }
}
