/// Which master serves each of the cluster's 16384 slots, as the cluster last told it.
struct RedisSlotMap: Sendable {
    private(set) var masters: [RedisEndpoint?] = Array(repeating: nil, count: RedisSlot.count)
    /// Every node the cluster named, masters and replicas: where to ask for the map next time.
    private(set) var nodes: [RedisEndpoint] = []
    /// The distinct masters, for commands any master may answer; kept, not derived per command.
    private(set) var distinctMasters: [RedisEndpoint] = []

    func master(of slot: Int) -> RedisEndpoint? {
        masters[slot]
    }

    /// A `MOVED` redirect: the slot has a new owner.
    mutating func assign(_ slot: Int, to endpoint: RedisEndpoint) {
        masters[slot] = endpoint
        if !nodes.contains(endpoint) { nodes.append(endpoint) }
        countMasters()
    }

    private mutating func countMasters() {
        var seen = Set<RedisEndpoint>()
        distinctMasters = masters.compactMap { $0 }.filter { seen.insert($0).inserted }
    }

    /// Reads a `CLUSTER SHARDS` reply (Redis 7): each shard's slot ranges and its nodes, of which the
    /// online master serves them. `tls` picks a node's `tls-port` when it reports one.
    static func fromShards(_ reply: RESPValue, tls: Bool) throws(RedisError) -> RedisSlotMap {
        guard let shards = reply.array else { throw .unexpectedReply("CLUSTER SHARDS returned \(reply)") }
        var map = RedisSlotMap()
        for shard in shards {
            let shardFields = try fields(of: shard)
            let bounds = shardFields["slots"]?.array?.compactMap(\.integer) ?? []
            // After a failover the failed master may still be listed as one: the online master wins.
            var master: RedisEndpoint?
            var masterIsOnline = false
            for node in shardFields["nodes"]?.array ?? [] {
                let node = try fields(of: node)
                let host = [node["endpoint"]?.string, node["ip"]?.string].compactMap { $0 }.first { !$0.isEmpty && $0 != "?" }
                let port = (tls ? node["tls-port"]?.integer : nil) ?? node["port"]?.integer
                guard let host, let port, port > 0, port <= 65_535 else { continue }
                let endpoint = RedisEndpoint(host: host, port: Int(port))
                if !map.nodes.contains(endpoint) { map.nodes.append(endpoint) }
                guard node["role"]?.string == "master" else { continue }
                let online = node["health"]?.string == "online"
                if master == nil || (online && !masterIsOnline) { (master, masterIsOnline) = (endpoint, online) }
            }
            try map.assign(ranges: bounds, to: master)
        }
        map.countMasters()
        return map
    }

    /// Reads a `CLUSTER SLOTS` reply (servers before Redis 7): `[start, end, [host, port, id], replicas…]`.
    static func fromSlots(_ reply: RESPValue) throws(RedisError) -> RedisSlotMap {
        guard let ranges = reply.array else { throw .unexpectedReply("CLUSTER SLOTS returned \(reply)") }
        var map = RedisSlotMap()
        for range in ranges {
            guard let parts = range.array, parts.count >= 3, let start = parts[0].integer, let end = parts[1].integer else {
                throw .unexpectedReply("CLUSTER SLOTS range \(range)")
            }
            var master: RedisEndpoint?
            for (index, node) in parts.dropFirst(2).enumerated() {
                guard let node = node.array, node.count >= 2, let host = node[0].string, let port = node[1].integer,
                      !host.isEmpty, port > 0, port <= 65_535 else { continue }
                let endpoint = RedisEndpoint(host: host, port: Int(port))
                if index == 0 { master = endpoint }
                if !map.nodes.contains(endpoint) { map.nodes.append(endpoint) }
            }
            try map.assign(ranges: [start, end], to: master)
        }
        map.countMasters()
        return map
    }

    private mutating func assign(ranges bounds: [Int64], to master: RedisEndpoint?) throws(RedisError) {
        guard bounds.count % 2 == 0 else { throw .unexpectedReply("slot ranges \(bounds)") }
        for index in stride(from: 0, to: bounds.count, by: 2) {
            let (start, end) = (bounds[index], bounds[index + 1])
            guard start >= 0, start <= end, end < RedisSlot.count else { throw .unexpectedReply("slot range \(start)-\(end)") }
            for slot in Int(start)...Int(end) { masters[slot] = master }
        }
    }

    /// A RESP3 map or a RESP2 flat `[name, value, …]` array as a dictionary.
    private static func fields(of value: RESPValue) throws(RedisError) -> [String: RESPValue] {
        if case .map(let map) = value {
            return Dictionary(map.compactMap { key, value in key.string.map { ($0, value) } }, uniquingKeysWith: { first, _ in first })
        }
        guard let items = value.array, items.count % 2 == 0 else { throw .unexpectedReply("cluster shard entry \(value)") }
        var fields: [String: RESPValue] = [:]
        for index in stride(from: 0, to: items.count, by: 2) {
            if let name = items[index].string { fields[name] = items[index + 1] }
        }
        return fields
    }
}
