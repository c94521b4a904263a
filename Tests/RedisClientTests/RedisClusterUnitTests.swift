import NIOCore
@testable import RedisClient
import Testing

@Suite("Redis Cluster: slots, URLs and slot maps")
struct RedisClusterUnitTests {
    @Test func slotsFollowTheClusterSpecification() {
        // CRC-16/XMODEM's published check value, and slots redis-cli's CLUSTER KEYSLOT gives.
        #expect(RedisSlot.crc16(Array("123456789".utf8)[...]) == 0x31C3)
        #expect(RedisSlot.of("foo") == 12182)
        #expect(RedisSlot.of("bar") == 5061)
        #expect(RedisSlot.of("{user1000}.following") == RedisSlot.of("{user1000}.followers"))
        #expect(RedisSlot.of("{user1000}.following") == RedisSlot.of("user1000"))
        #expect(RedisSlot.of("foo{}{bar}") == 8363)
        #expect(RedisSlot.of("{user1000}.following") == 3443)
        #expect(RedisSlot.of("foo{}{bar}") != RedisSlot.of("bar"), "an empty first tag hashes the whole key")
        #expect(RedisSlot.of("foo{{bar}}zap") == RedisSlot.of("{bar"))
        #expect(RedisSlot.of("foo{bar}{zap}") == RedisSlot.of("bar"))
        #expect(RedisSlot.of(ByteBuffer(string: "foo")) == 12182)
        #expect(RedisSlot.hashTag("/api/{id}") == "{/api/_id_}", "a brace inside would end the tag early")
    }

    @Test func commandsAreRoutedByTheirKey() {
        func key(_ words: String...) -> String? {
            RedisSlot.routingKey(of: words.map { ByteBuffer(string: $0) }).map { String(buffer: $0) }
        }
        #expect(key("GET", "a") == "a")
        #expect(key("EVALSHA", "abc", "2", "k1", "k2", "arg") == "k1")
        #expect(key("EVAL", "return 1", "0") == nil)
        #expect(key("PUBLISH", "channel", "message") == nil)
        #expect(key("ping") == nil)
    }

    @Test func readsClusterURLs() throws {
        let cluster = try RedisConfiguration(url: "rediss://iworkz:p%40ss@10.0.0.1:7000,10.0.0.2,[::1]:7002?cacert=/etc/ca.pem")
        #expect(cluster.isCluster)
        #expect(cluster.seeds == [RedisEndpoint(host: "10.0.0.1", port: 7000), RedisEndpoint(host: "10.0.0.2", port: 6379),
                                  RedisEndpoint(host: "::1", port: 7002)])
        #expect(cluster.username == "iworkz")
        #expect(cluster.password == "p@ss")
        #expect(cluster.tls == RedisTLS(caFile: "/etc/ca.pem"))
        let single = try RedisConfiguration(url: "redis://cache:6380?cluster=true")
        #expect(single.isCluster && single.tls == nil && single.host == "cache")
        #expect(try RedisConfiguration(url: "rediss://cache").tls == RedisTLS())
        for bad in ["redis://a:1,b:2/3", "redis://a?cacert=/x", "redis://a,b?cluster=false", "redis://a?cluster=maybe",
                    "redis://a?unknown=1", "rediss://a?cert=/c", "redis://a:99999", "redis://", "redis://a:1,,b:2", "redis://a?cluster"] {
            #expect(throws: RedisError.self, "\(bad)") { try RedisConfiguration(url: bad) }
        }
    }

    @Test func readsSlotMapsFromShardsAndSlots() throws {
        func node(_ port: Int64, _ role: String, _ health: String) -> RESPValue {
            .array([.bulkString(ByteBuffer(string: "port")), .integer(port), .bulkString(ByteBuffer(string: "ip")),
                    .bulkString(ByteBuffer(string: "127.0.0.1")), .bulkString(ByteBuffer(string: "endpoint")),
                    .bulkString(ByteBuffer(string: "127.0.0.1")), .bulkString(ByteBuffer(string: "role")),
                    .bulkString(ByteBuffer(string: role)), .bulkString(ByteBuffer(string: "health")), .bulkString(ByteBuffer(string: health))])
        }
        func shard(_ ranges: [Int64], _ nodes: [RESPValue]) -> RESPValue {
            .array([.bulkString(ByteBuffer(string: "slots")), .array(ranges.map(RESPValue.integer)),
                    .bulkString(ByteBuffer(string: "nodes")), .array(nodes)])
        }
        // After a failover: 7001 failed but is still listed as a master; 7004 has taken over.
        let shards = RESPValue.array([
            shard([0, 5460, 16000, 16383], [node(7001, "master", "failed"), node(7004, "master", "online")]),
            shard([5461, 15999], [node(7002, "master", "online"), node(7005, "replica", "online")]),
        ])
        let map = try RedisSlotMap.fromShards(shards, tls: false)
        #expect(map.master(of: 0)?.port == 7004)
        #expect(map.master(of: 16383)?.port == 7004)
        #expect(map.master(of: 5461)?.port == 7002)
        #expect(Set(map.distinctMasters.map(\.port)) == [7004, 7002])
        #expect(map.nodes.count == 4)

        let slots = RESPValue.array([
            .array([.integer(0), .integer(8191), .array([.bulkString(ByteBuffer(string: "10.0.0.1")), .integer(7000)]),
                    .array([.bulkString(ByteBuffer(string: "10.0.0.2")), .integer(7003)])]),
            .array([.integer(8192), .integer(16383), .array([.bulkString(ByteBuffer(string: "10.0.0.3")), .integer(7001)])]),
        ])
        let old = try RedisSlotMap.fromSlots(slots)
        #expect(old.master(of: 100) == RedisEndpoint(host: "10.0.0.1", port: 7000))
        #expect(old.master(of: 9000) == RedisEndpoint(host: "10.0.0.3", port: 7001))
        #expect(throws: RedisError.self) {
            try RedisSlotMap.fromShards(.array([shard([5, 99999], [node(1, "master", "online")])]), tls: false)
        }
    }

    @Test func readsRedirects() {
        let from = RedisEndpoint(host: "10.0.0.9", port: 7000)
        guard case .moved(let slot, let target) = RedisClusterReply(RedisError.server("MOVED 3999 127.0.0.1:6381"), from: from) else {
            Issue.record("MOVED not read")
            return
        }
        #expect(slot == 3999 && target == RedisEndpoint(host: "127.0.0.1", port: 6381))
        guard case .ask(_, let asked) = RedisClusterReply(RedisError.server("ASK 3999 :6382"), from: from) else {
            Issue.record("ASK not read")
            return
        }
        #expect(asked == RedisEndpoint(host: "10.0.0.9", port: 6382), "an empty host is the one asked")
        guard case .retry = RedisClusterReply(RedisError.server("TRYAGAIN Multiple keys request during rehashing of slot"), from: from),
              case .retry = RedisClusterReply(RedisError.unreachable("x"), from: from),
              case .final = RedisClusterReply(RedisError.connectionClosed, from: from),
              case .final = RedisClusterReply(RedisError.server("MOVED 99999 a:1"), from: from) else {
            Issue.record("retryable and final errors confused")
            return
        }
    }
}
