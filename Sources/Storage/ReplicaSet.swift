internal import Logging
internal import CoreMetrics
internal import Metrics
internal import PostgresKit
internal import SQLKit
internal import Synchronization

/// How far behind its primary a read replica is, as last measured.
public struct ReplicaStatus: Sendable, Equatable, Encodable {
    /// The replica's place (no password).
    public let location: String
    /// Replay lag in seconds; nil when the replica did not answer or is not replaying.
    public let lagSeconds: Double?
    /// Whether reads go to it now: it answered and its lag is under the bound.
    public let serving: Bool

    enum CodingKeys: String, CodingKey {
        case location, serving
        case lagSeconds = "lag_seconds"
    }
}

/// The read replicas of one database and their replay lag, measured on each replica every
/// `interval`: zero when it has replayed everything it received, otherwise the time since the
/// last transaction it replayed (`pg_last_xact_replay_timestamp`). A replica whose lag reaches
/// `bound`, or that does not answer within a second, gets no reads until it catches up.
final class ReplicaSet: Sendable {
    struct Replica: Sendable {
        let location: PostgresLocation
        let client: PostgresClient
        let database: any SQLDatabase
        /// `database` and `replica` (its 1-based place in the list): nothing personal.
        let metricDimensions: [(String, String)]
    }

    private let replicas: [Replica]
    /// The lag bound in seconds, as the lag is measured.
    private let boundSeconds: Double
    private let interval: Duration
    private let state: Mutex<[Double?]>
    private let next = Atomic<Int>(0)

    init(replicas: [Replica], bound: Duration, interval: Duration) {
        self.replicas = replicas
        self.boundSeconds = Double(bound.components.seconds) + Double(bound.components.attoseconds) / 1e18
        self.interval = interval
        self.state = Mutex(Array(repeating: nil, count: replicas.count))
    }

    var isEmpty: Bool { replicas.isEmpty }
    var pools: [PostgresClient] { replicas.map(\.client) }

    /// Measures every replica until cancelled.
    func monitor() async {
        while !Task.isCancelled {
            await measure()
            try? await Task.sleep(for: interval)
        }
    }

    /// One measurement of every replica, side by side.
    func measure() async {
        let lags = await withTaskGroup(of: (Int, Double?).self) { group in
            for (index, replica) in replicas.enumerated() {
                group.addTask { (index, await Self.lag(of: replica)) }
            }
            var lags = Array<Double?>(repeating: nil, count: replicas.count)
            for await (index, lag) in group { lags[index] = lag }
            return lags
        }
        state.withLock { $0 = lags }
        for (replica, lag) in zip(replicas, lags) {
            // Made at each measurement: the process's metrics backend is bootstrapped after the
            // database opens, and a gauge made before would report nowhere. -1: not answering.
            Gauge(label: "iworkz_db_replica_lag_seconds", dimensions: replica.metricDimensions).record(lag ?? -1)
        }
    }

    private static func lag(of replica: Replica) async -> Double? {
        try? await withDeadline(.seconds(1), "replica did not answer") {
            let row = try await replica.database.raw("""
                SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL
                            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                            ELSE EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))::float8 END AS lag
                """).first()
            return try row?.decode(column: "lag", as: Double?.self)
        }
    }

    /// A replica to read from, taking turns among those under the bound; nil when none is.
    func readable() -> (any SQLDatabase)? {
        let lags = state.withLock { $0 }
        let serving = lags.indices.filter { lags[$0].map { $0 < boundSeconds } ?? false }
        guard !serving.isEmpty else { return nil }
        let turn = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return replicas[serving[abs(turn % serving.count)]].database
    }

    /// What `/ready` shows of each replica.
    func statuses() -> [ReplicaStatus] {
        let lags = state.withLock { $0 }
        return zip(replicas, lags).map { replica, lag in
            ReplicaStatus(location: replica.location.description, lagSeconds: lag, serving: lag.map { $0 < boundSeconds } ?? false)
        }
    }
}
