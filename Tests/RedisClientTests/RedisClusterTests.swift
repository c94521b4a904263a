import Foundation
import Gateway
import HummingbirdTesting
import NIOCore
import Platform
import RateLimiting
@testable import RedisClient
import ResponseCache
import Synchronization
import Testing
import TestSupport

/// Runs against the 3 + 3 Redis Cluster that scripts/test.sh starts (scripts/redis-cluster.sh);
/// skipped, with this reason, when IWORKZ_TEST_REDIS_CLUSTER_URL is unset.
enum TestRedisCluster {
    static let url = ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_CLUSTER_URL"]
    static var isAvailable: Bool { url != nil }

    static func configuration() throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: url!)
        // Beside the other suites on two cores a reply can take long; a failover here may take
        // longer than the production default allows for.
        configuration.commandTimeout = .seconds(10)
        configuration.clusterRetryWindow = .seconds(15)
        return configuration
    }

    /// The cluster's shards as one node reports them: each master and the slots it serves.
    static func masters(_ client: RedisClient) async throws -> [RedisEndpoint: [ClosedRange<Int>]] {
        let reply = try await client.send(["CLUSTER", "SHARDS"])
        var masters: [RedisEndpoint: [ClosedRange<Int>]] = [:]
        for shard in reply.array ?? [] {
            let map = try RedisSlotMap.fromShards(.array([shard]), tls: false)
            guard let master = map.distinctMasters.first else { continue }
            let slots = (0..<RedisSlot.count).filter { map.master(of: $0) == master }
            if let first = slots.first, let last = slots.last { masters[master, default: []].append(first...last) }
        }
        return masters
    }

    /// A direct connection to one node, bypassing the cluster routing.
    static func node(_ endpoint: RedisEndpoint) async throws -> RedisConnection {
        try await RedisConnection.connect(try configuration().pointing(to: endpoint))
    }

    /// The master serving `slot` now.
    static func owner(of slot: Int, _ client: RedisClient) async throws -> RedisEndpoint? {
        try await masters(client).first { $0.value.contains { $0.contains(slot) } }?.key
    }

    /// Kills a node with SIGKILL, as a crash would; returns its folder, whose redis.conf starts it again.
    static func kill(_ endpoint: RedisEndpoint) async throws -> String {
        let node = try await node(endpoint)
        let info = try await node.send(["INFO", "server"]).string ?? ""
        let directory = try await node.send(["CONFIG", "GET", "dir"]).array?.last?.string ?? ""
        await node.close()
        guard let pid = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("process_id:") })
            .flatMap({ Int32($0.dropFirst("process_id:".count).trimmingCharacters(in: .whitespaces)) }), !directory.isEmpty else {
            throw RedisError.unexpectedReply("no process id or folder in INFO / CONFIG GET dir")
        }
        guard Foundation.kill(pid, SIGKILL) == 0 else { throw RedisError.unexpectedReply("cannot kill \(pid)") }
        return directory
    }

    /// Starts a killed node again and waits until it has rejoined as a replica of the cluster.
    static func restart(_ endpoint: RedisEndpoint, directory: String) async throws -> Bool {
        let restart = Process()
        restart.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        restart.arguments = ["redis-server", directory + "/redis.conf"]
        try restart.run()
        // Polled: waitUntilExit blocks a cooperative thread and was seen to hang here.
        for _ in 0..<200 where restart.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(200))
            guard let node = try? await node(endpoint) else { continue }
            let role = (try? await node.send(["ROLE"]))?.array?.first?.string
            let state = (try? await node.send(["CLUSTER", "INFO"]))?.string ?? ""
            await node.close()
            if role == "slave" && state.contains("cluster_state:ok") { return true }
        }
        return false
    }

    /// Waits until a master other than `victim` serves `slot`, as the surviving nodes report it.
    static func waitForPromotion(of slot: Int, from victim: RedisEndpoint, _ client: RedisClient) async throws {
        let killedAt = ContinuousClock.now
        while ContinuousClock.now - killedAt < .seconds(30) {
            try await Task.sleep(for: .milliseconds(200))
            if let owner = try? await owner(of: slot, client), owner != victim { return }
        }
        throw RedisError.unexpectedReply("no replica took over slot \(slot) within 30 s")
    }

    /// Runs `work` in `workers` loops while `victim` is SIGKILLed after a second; once a replica
    /// serves `slot` and a second has passed, calls `promoted`, lets the loops run 2 s more and stops
    /// them. Returns the killed node's folder, for ``restart(_:directory:)``.
    static func killMidRun(_ victim: RedisEndpoint, slot: Int, probe: RedisClient, workers: Int, promoted: @Sendable () -> Void = {},
                           work: @escaping @Sendable (Int) async throws -> Void) async throws -> String {
        let running = RunningFlag()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask { while running.isOn { try await work(worker) } }
            }
            defer { running.stop() }
            try await Task.sleep(for: .seconds(1))
            let directory = try await kill(victim)
            try await waitForPromotion(of: slot, from: victim, probe)
            try await Task.sleep(for: .seconds(1))
            promoted()
            try await Task.sleep(for: .seconds(2))
            running.stop()
            try await group.waitForAll()
            return directory
        }
    }

    static func nodeID(_ endpoint: RedisEndpoint) async throws -> String {
        let connection = try await node(endpoint)
        defer { Task { await connection.close() } }
        guard let id = try await connection.send(["CLUSTER", "MYID"]).string else { throw RedisError.unexpectedReply("MYID") }
        return id
    }
}

@Suite("Redis Cluster (3 masters + 3 replicas)", .serialized,
       .enabled(if: TestRedisCluster.isAvailable, "IWORKZ_TEST_REDIS_CLUSTER_URL is not set: scripts/test.sh starts a cluster"))
struct RedisClusterTests {
    @Test func keysAreSpreadOverEveryMasterAndReadBack() async throws {
        let client = RedisClient(configuration: try TestRedisCluster.configuration())
        defer { Task { await client.close() } }
        let prefix = "spread:\(UUID().uuidString):"
        let keys = (0..<300).map { prefix + String($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys { group.addTask { try await client.set(key, "v-" + key) } }
            try await group.waitForAll()
        }
        for key in keys.prefix(50) { #expect(try await client.get(key).map { String(buffer: $0) } == "v-" + key) }
        let masters = try await TestRedisCluster.masters(client)
        #expect(masters.count == 3)
        var total = 0
        for master in masters.keys {
            let connection = try await TestRedisCluster.node(master)
            let held = try await connection.send(["KEYS", prefix + "*"]).array?.count ?? 0
            await connection.close()
            #expect(held > 50, "\(master) holds a share of the keys")
            total += held
        }
        #expect(total == keys.count, "each key is on exactly one master")
        #expect(try await client.delete(keys) == Int64(keys.count), "a DEL over many slots is split by slot")

        let replies = try await client.pipeline(keys.prefix(30).flatMap { [["SET", $0, "p"], ["GET", $0], ["DEL", $0]] })
        #expect(replies.count == 90)
        for index in stride(from: 0, to: 90, by: 3) {
            #expect((try? replies[index + 1].get())?.string == "p", "replies come back in the pipeline's order")
            #expect((try? replies[index + 2].get())?.integer == 1)
        }
    }

    /// Moves a slot by hand, the way `redis-cli --cluster reshard` does, and checks the client
    /// follows ASK while the slot migrates and MOVED once it has.
    @Test func followsAskDuringAMigrationAndMovedAfterIt() async throws {
        let client = RedisClient(configuration: try TestRedisCluster.configuration())
        defer { Task { await client.close() } }
        let tag = "{migrate-\(UUID().uuidString)}"
        let oldKey = tag + ":old"
        let newKey = tag + ":new"
        let slot = RedisSlot.of(oldKey)
        try await client.set(oldKey, "before")
        let masters = try await TestRedisCluster.masters(client)
        guard let source = masters.first(where: { $0.value.contains { $0.contains(slot) } })?.key,
              let target = masters.keys.first(where: { $0 != source }) else {
            Issue.record("no owner for slot \(slot)")
            return
        }
        let (sourceID, targetID) = (try await TestRedisCluster.nodeID(source), try await TestRedisCluster.nodeID(target))
        let sourceNode = try await TestRedisCluster.node(source)
        let targetNode = try await TestRedisCluster.node(target)
        defer { Task { await sourceNode.close(); await targetNode.close() } }
        _ = try await targetNode.send(["CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceID])
        _ = try await sourceNode.send(["CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetID])

        // The source still has the old key; a key it lacks is answered with ASK, the target's.
        #expect(try await client.get(oldKey).map { String(buffer: $0) } == "before")
        try await client.set(newKey, "during")
        #expect(try await client.get(newKey).map { String(buffer: $0) } == "during", "ASK followed, with ASKING")
        #expect(try await targetNode.send(["ASKING"]).string == "OK")
        #expect(try await targetNode.send(["EXISTS", newKey]).integer == 1, "the new key was written on the target")

        _ = try await sourceNode.send(["MIGRATE", target.host, String(target.port), "", "0", "5000", "KEYS", oldKey])
        for node in masters.keys {
            let connection = try await TestRedisCluster.node(node)
            _ = try await connection.send(["CLUSTER", "SETSLOT", String(slot), "NODE", targetID])
            await connection.close()
        }
        // The client still believes the source has the slot: MOVED takes it to the target.
        #expect(try await client.get(oldKey).map { String(buffer: $0) } == "before", "MOVED followed")
        try await client.set(oldKey, "after")
        #expect(try await targetNode.send(["GET", oldKey]).string == "after")
        _ = try await client.delete([oldKey, newKey])
    }

    /// The cache's entries and tag set share the tag's slot, so the invalidation script (which deletes
    /// keys it reads from the set) runs on a cluster; without the hash tag the cluster refuses it.
    @Test func theResponseCacheInvalidatesWithinOneSlot() async throws {
        let store = RedisCacheStore(client: RedisClient(configuration: try TestRedisCluster.configuration()),
                                    prefix: "cache-\(UUID().uuidString):")
        let entry = CachedResponse(body: Data("{}".utf8), contentType: "application/json", etag: "\"e\"", cacheControl: "public, max-age=30",
                                   storedAt: Date(), expiresAt: Date().addingTimeInterval(30))
        let jobs = (0..<20).map { ResponseCacheKey(tag: "/api/v1/jobs/*", variant: "jp-tokyo|/api/v1/jobs/\($0)|anonymous") }
        let users = ResponseCacheKey(tag: "/api/v1/users/*", variant: "jp-tokyo|/api/v1/users/1|anonymous")
        for key in jobs + [users] { try await store.set(key, entry) }
        for key in jobs + [users] { #expect(try await store.get(key) == entry) }
        try await store.invalidate(tag: "/api/v1/jobs/*")
        for key in jobs { #expect(try await store.get(key) == nil) }
        #expect(try await store.get(users) == entry, "another tag's entries stay")
        try await store.invalidate(tag: "/api/v1/users/*")
        #expect(try await store.get(users) == nil)
    }

    @Test func pubSubReachesSubscribersOnAnyNode() async throws {
        let publisher = RedisClient(configuration: try TestRedisCluster.configuration())
        let subscriberClient = RedisClient(configuration: try TestRedisCluster.configuration())
        defer { Task { await publisher.close(); await subscriberClient.close() } }
        let channel = "events-\(UUID().uuidString)"
        // Two subscriptions, each on whichever node accepted it; the publisher's node relays over the
        // cluster bus to both. (PUBLISH counts only the receiving node's own subscribers.)
        let subscriptions = [try await subscriberClient.subscribe(channel), try await subscriberClient.subscribe(channel)]
        let publishing = Task {
            for attempt in 0..<100 where !Task.isCancelled {
                _ = try? await publisher.publish(channel, ByteBuffer(string: "hello \(attempt)"))
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { publishing.cancel() }
        for subscription in subscriptions {
            var iterator = subscription.makeAsyncIterator()
            let message = await iterator.next()
            #expect(message?.channel == channel)
            #expect(message.map { String(buffer: $0.payload) }?.hasPrefix("hello") == true)
            await subscription.close()
        }
    }

    /// Three clients, as three gateway processes would, share one limit: together they admit
    /// exactly the burst, on every master.
    @Test func rateLimitsAreExactAcrossThreeGateways() async throws {
        let gateways = try (0..<3).map { _ in RedisRateLimitStore(client: RedisClient(configuration: try TestRedisCluster.configuration())) }
        let policy = RateLimitPolicy(name: "cluster-\(UUID().uuidString)", scope: .ip, limit: 1, periodSeconds: 3600, burst: 40)
        let callers = (0..<6).map { "caller-\($0)" }
        let slots = Set(callers.map { RedisSlot.of("iworkz:ratelimit:" + policy.name + ":" + $0) })
        #expect(slots.count > 1, "the callers' keys fall in different slots")
        let admitted = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for caller in callers {
                for request in 0..<90 {
                    let gateway = gateways[request % 3]
                    group.addTask { (caller, try await gateway.acquire(key: caller, policy: policy).allowed) }
                }
            }
            return try await group.reduce(into: [String: Int]()) { counts, decision in
                if decision.1 { counts[decision.0, default: 0] += 1 }
            }
        }
        for caller in callers { #expect(admitted[caller] == 40, "\(caller): 40 of 270 admitted across three gateways") }
    }

    /// Three gateways (whole platforms in this process) share rate limits and the response cache on
    /// the cluster; the master holding the rate-limit key is killed while 12 callers keep asking.
    /// Counted: responses of 500 and above — the gateway falls back to its local limit and treats a
    /// failed cache read as a miss, so none may appear — and the slowest answer while it happens.
    @Test func gatewaysAnswerWithoutServerErrorsThroughAFailover() async throws {
        let name = "gateway-failover-\(UUID().uuidString.prefix(8))"
        let configure: (inout LoadedConfiguration) -> Void = { config in
            config.rateLimits = RateLimitConfiguration(store: .redis, policies: [
                RateLimitPolicy(name: name, scope: .route, limit: 1_000_000, periodSeconds: 1, burst: 1_000_000),
            ])
        }
        let url = TestRedisCluster.url!
        let probe = RedisClient(configuration: try TestRedisCluster.configuration())
        defer { Task { await probe.close() } }
        try await PlatformHarness.withPlatform(configure: configure, redisURL: url) { first, _ in
            try await PlatformHarness.withPlatform(configure: configure, redisURL: url) { second, _ in
                try await PlatformHarness.withPlatform(configure: configure, redisURL: url) { third, _ in
                    try await first.application(host: "127.0.0.1", port: 0).test(.router) { a in
                        try await second.application(host: "127.0.0.1", port: 0).test(.router) { b in
                            try await third.application(host: "127.0.0.1", port: 0).test(.router) { c in
                                let gateways = [a, b, c]
                                for gateway in gateways { #expect(try await gateway.execute(uri: "/api/v1/jobs", method: .get).status == .ok) }
                                // The rate-limit key's master is the one to kill.
                                var victim: RedisEndpoint?
                                for master in try await TestRedisCluster.masters(probe).keys {
                                    let node = try await TestRedisCluster.node(master)
                                    let held = try await node.send(["KEYS", "iworkz:ratelimit:\(name):*"]).array?.count ?? 0
                                    await node.close()
                                    if held > 0 { victim = master }
                                }
                                guard let victim, let victimSlot = try await TestRedisCluster.masters(probe)[victim]?.first?.lowerBound else {
                                    Issue.record("no master holds the rate-limit key")
                                    return
                                }
                                let tally = GatewayTally()
                                let directory = try await TestRedisCluster.killMidRun(victim, slot: victimSlot, probe: probe, workers: 12) { worker in
                                    let started = ContinuousClock.now
                                    let status = try await gateways[worker % 3].execute(uri: "/api/v1/jobs?limit=5", method: .get).status
                                    tally.record(status: status.code, took: ContinuousClock.now - started)
                                }
                                let counts = tally.counts
                                print("gateway failover: \(counts.total) responses, \(counts.serverErrors) of 500 or above, slowest \(counts.slowest)")
                                #expect(counts.serverErrors == 0, "no 5xx while the cluster fails over")
                                #expect(counts.total > 100)
                                #expect(try await TestRedisCluster.restart(victim, directory: directory), "the killed node rejoined")
                            }
                        }
                    }
                }
            }
        }
    }

    /// A master is killed (SIGKILL) while three gateways take rate-limit decisions; its replica takes
    /// over after the node timeout. Commands in flight on the dead connection fail; the rest wait for
    /// the new master. Counted: at most one failure per worker, none among those asked after the failover.
    @Test func survivesAMasterKilledMidRun() async throws {
        let clients = try (0..<3).map { _ in RedisClient(configuration: try TestRedisCluster.configuration()) }
        defer { Task { for client in clients { await client.close() } } }
        let policy = RateLimitPolicy(name: "failover-\(UUID().uuidString)", scope: .ip, limit: 1_000_000, periodSeconds: 1, burst: 1_000_000)
        let victimKey = "victim"
        let victimSlot = RedisSlot.of("iworkz:ratelimit:" + policy.name + ":" + victimKey)
        guard let victim = try await TestRedisCluster.owner(of: victimSlot, clients[0]) else {
            Issue.record("no owner for the victim's slot")
            return
        }

        let tally = FailoverTally()
        let workers = 24
        let stores = clients.map { RedisRateLimitStore(client: $0) }
        let directory = try await TestRedisCluster.killMidRun(victim, slot: victimSlot, probe: clients[1], workers: workers,
                                                              promoted: { tally.markRecovered() }) { worker in
            // A decision counts as "after the failover" by when it was asked for: one asked during the
            // failover may still time out after the new master is seen.
            let askedAfterRecovery = tally.counts.recovered
            do {
                _ = try await stores[worker % 3].acquire(key: worker % 4 == 0 ? victimKey : "worker-\(worker)", policy: policy)
                tally.record(failed: false, askedAfterRecovery: askedAfterRecovery)
            } catch {
                tally.record(failed: true, askedAfterRecovery: askedAfterRecovery)
            }
        }
        let result = tally.counts
        print("failover: \(result.ok) decisions, \(result.failed) failed (\(result.failedAfterRecovery) after the failover) of \(workers) workers")
        #expect(result.failed <= workers, "no storm of failures: at most the commands in flight on the killed connections")
        #expect(result.failedAfterRecovery == 0)
        #expect(result.ok > 1000)
        let owner = try await TestRedisCluster.owner(of: victimSlot, clients[2])
        #expect(owner != nil && owner != victim, "a replica serves the killed master's slots")

        // Bring the node back; it rejoins as the new master's replica.
        let rejoined = try await TestRedisCluster.restart(victim, directory: directory)
        #expect(rejoined, "the killed node rejoined as a replica")
    }
}

/// What the workers of the failover test saw.
final class FailoverTally: Sendable {
    struct Counts { var ok = 0, failed = 0, failedAfterRecovery = 0, recovered = false }
    private let state = Mutex(Counts())

    var counts: Counts { state.withLock { $0 } }
    func markRecovered() { state.withLock { $0.recovered = true } }

    func record(failed: Bool, askedAfterRecovery: Bool) {
        state.withLock { counts in
            if !failed { counts.ok += 1; return }
            counts.failed += 1
            if askedAfterRecovery { counts.failedAfterRecovery += 1 }
        }
    }
}

/// What the callers of the gateway failover test saw.
final class GatewayTally: Sendable {
    struct Counts { var total = 0, serverErrors = 0, slowest = Duration.zero }
    private let state = Mutex(Counts())

    var counts: Counts { state.withLock { $0 } }

    func record(status: Int, took: Duration) {
        state.withLock { counts in
            counts.total += 1
            if status >= 500 { counts.serverErrors += 1 }
            counts.slowest = max(counts.slowest, took)
        }
    }
}

/// Whether the loops of ``TestRedisCluster/killMidRun(_:slot:probe:workers:promoted:work:)`` go on.
final class RunningFlag: Sendable {
    private let on = Mutex(true)
    var isOn: Bool { on.withLock { $0 } }
    func stop() { on.withLock { $0 = false } }
}
