internal import NIOCore

/// A Redis Cluster as this client knows it: the slot map, learnt from any node that answers, and a
/// connection pool per node.
actor RedisClusterTopology {
    private let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private var map: RedisSlotMap?
    private var pools: [RedisEndpoint: RedisConnectionPool] = [:]
    private var refreshing: Task<RedisSlotMap, any Error>?
    private var refreshedAt: ContinuousClock.Instant?
    private var isClosed = false
    /// Maps asked for sooner than this after the last one are not asked for again: during a
    /// failover every failing command wants one.
    private static let refreshInterval = Duration.milliseconds(100)

    init(configuration: RedisConfiguration, group: any EventLoopGroup) {
        self.configuration = configuration
        self.group = group
    }

    /// The master serving `slot`, or any master for a command without a key.
    func master(for slot: Int?) async throws -> RedisEndpoint {
        let map = try await currentMap()
        let endpoint = slot.flatMap(map.master(of:)) ?? (slot == nil ? map.distinctMasters.randomElement() : nil)
        guard let endpoint else { throw RedisError.server("CLUSTERDOWN no master serves slot \(slot.map(String.init) ?? "any")") }
        return endpoint
    }

    /// Every node the cluster named, masters first, for subscriptions (any node relays messages).
    func nodes() async throws -> [RedisEndpoint] {
        let map = try await currentMap()
        let masters = map.distinctMasters
        return masters.shuffled() + map.nodes.filter { !masters.contains($0) }.shuffled()
    }

    /// The master for `slot` and its pool, in one call: a command's route costs one hop to this actor.
    func route(_ slot: Int?) async throws -> (RedisEndpoint, RedisConnectionPool) {
        let endpoint = try await master(for: slot)
        return (endpoint, try pool(for: endpoint))
    }

    func pool(for endpoint: RedisEndpoint) throws -> RedisConnectionPool {
        guard !isClosed else { throw RedisError.connectionClosed }
        if let pool = pools[endpoint] { return pool }
        let pool = RedisConnectionPool(configuration: configuration.pointing(to: endpoint), group: group)
        pools[endpoint] = pool
        return pool
    }

    /// A `MOVED` redirect: the slot is served elsewhere from now on; the rest of the map is asked
    /// for again, since a moved slot usually means a failover or resharding.
    func moved(slot: Int, to endpoint: RedisEndpoint) {
        map?.assign(slot, to: endpoint)
        Task { try? await self.refresh() }
    }

    private func currentMap() async throws -> RedisSlotMap {
        if let map { return map }
        return try await refresh(force: true)
    }

    /// Asks the known nodes, then the seeds, for the slot map; concurrent callers share one request.
    @discardableResult
    func refresh(force: Bool = false) async throws -> RedisSlotMap {
        if let refreshing { return try await refreshing.value }
        if !force, let map, let refreshedAt, ContinuousClock.now - refreshedAt < Self.refreshInterval { return map }
        var candidates: [RedisEndpoint] = []
        for endpoint in (map?.nodes.shuffled() ?? []) + configuration.seeds where !candidates.contains(endpoint) {
            candidates.append(endpoint)
        }
        let pools = try candidates.map { try pool(for: $0) }
        let useTLS = configuration.tls != nil
        let task = Task { try await Self.fetchMap(from: pools, candidates: candidates, tls: useTLS) }
        refreshing = task
        defer { refreshing = nil }
        let fresh = try await task.value
        map = fresh
        refreshedAt = .now
        return fresh
    }

    private static func fetchMap(from pools: [RedisConnectionPool], candidates: [RedisEndpoint], tls: Bool) async throws -> RedisSlotMap {
        var failures: [String] = []
        for (pool, endpoint) in zip(pools, candidates) {
            do {
                let connection = try await pool.connection()
                let map: RedisSlotMap
                do {
                    map = try RedisSlotMap.fromShards(try await connection.send(["CLUSTER", "SHARDS"]), tls: tls)
                } catch RedisError.server(let message) where message.contains("unknown subcommand") || message.contains("Unknown subcommand") {
                    map = try RedisSlotMap.fromSlots(try await connection.send(["CLUSTER", "SLOTS"]))
                }
                guard !map.distinctMasters.isEmpty else { throw RedisError.server("CLUSTERDOWN \(endpoint) knows no masters") }
                return map
            } catch let error as RedisError {
                if case .server(let message) = error, message.contains("cluster support disabled") {
                    throw RedisError.invalidConfiguration("\(endpoint) is not in cluster mode; drop cluster=true or use one host")
                }
                if case .server(let message) = error, message.hasPrefix("WRONGPASS") || message.hasPrefix("NOAUTH") || message.hasPrefix("NOPERM") {
                    throw error
                }
                failures.append("\(endpoint): \(error)")
            }
        }
        throw RedisError.unreachable("no cluster node answered (\(failures.joined(separator: "; ").prefix(400)))")
    }

    func close() async {
        isClosed = true
        refreshing?.cancel()
        for pool in pools.values { await pool.close() }
        pools = [:]
    }
}
