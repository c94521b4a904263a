import Benchmark
import Foundation
import RateLimiting
import RedisClient

// A shared rate-limit decision (one Lua script, one round trip) on a single Redis node and on a
// Redis Cluster, in release, against servers on loopback:
//   IWORKZ_BENCH_REDIS_URL=redis://127.0.0.1:6379 \
//   IWORKZ_BENCH_REDIS_CLUSTER_URL=redis://127.0.0.1:7000,127.0.0.1:7001 \
//   swift package benchmark --target RedisRateLimit
// (Benchmarks/scripts/redis-rate-limit.sh starts both servers and runs it.) A benchmark whose URL is
// unset is not registered. "one at a time" is a decision's latency; "64 in flight" is throughput,
// where a cluster spreads the callers' keys over its three masters.

let environment = ProcessInfo.processInfo.environment
let policy = RateLimitPolicy(name: "bench", scope: .ip, limit: 1_000_000_000, periodSeconds: 1, burst: 1_000_000_000)

func register(_ name: String, url: String) {
    var configuration = try! RedisConfiguration(url: url)
    configuration.connections = 4
    let store = RedisRateLimitStore(client: RedisClient(configuration: configuration), prefix: "bench:\(UUID().uuidString):")
    let callers = (0..<1024).map { "203.0.113.\($0 % 256)-\($0)" }

    Benchmark("rate-limit decision, \(name), one at a time",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(10))) { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(try await store.acquire(key: callers[index % callers.count], policy: policy))
        }
    }

    Benchmark("rate-limit decision, \(name), 64 in flight",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(10))) { benchmark in
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = benchmark.scaledIterations.makeIterator()
            for _ in 0..<64 {
                guard let index = next.next() else { break }
                group.addTask { blackHole(try await store.acquire(key: callers[index % callers.count], policy: policy)) }
            }
            while try await group.next() != nil {
                guard let index = next.next() else { continue }
                group.addTask { blackHole(try await store.acquire(key: callers[index % callers.count], policy: policy)) }
            }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    if let url = environment["IWORKZ_BENCH_REDIS_URL"] { register("single node", url: url) }
    if let url = environment["IWORKZ_BENCH_REDIS_CLUSTER_URL"] { register("cluster 3+3", url: url) }
}
