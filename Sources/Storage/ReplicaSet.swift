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
    /// Whether reads go to it now: it answered, has replayed what the primary held when the
    /// database opened (its migrations), and its lag is under the bound.
    public let serving: Bool

    enum CodingKeys: String, CodingKey {
        case location, serving
        case lagSeconds = "lag_seconds"
    }
}

/// The read replicas of one database and their replay lag, measured every `interval`.
///
/// A measurement first reads the primary's WAL position, then each replica's: a replica that has
/// replayed up to it has no lag; one that has not lags by the time since the last transaction it
/// replayed (`pg_last_xact_replay_timestamp`). Comparing with the primary, rather than with what
/// the replica itself has received, matters when the replica has not received everything yet —
/// just after a database was created and migrated, or when its WAL receiver is disconnected —
/// where "replayed all it received" would call it current. A replica whose lag reaches `bound`,
/// or that does not answer within a second, gets no reads until it catches up.
///
/// ``requireReplay(through:)`` adds a floor: no reads until a replica has replayed that far. The
/// database sets it after its migrations, so a process that has just created its tables never reads
/// from a replica that does not have them yet, however recently that replica replayed something.
final class ReplicaSet: Sendable {
    struct PrimaryPositionUnknown: Error, CustomStringConvertible {
        var description: String { "the primary did not report its WAL position" }
    }

    struct Replica: Sendable {
        let location: PostgresLocation
        let client: PostgresClient
        let database: any SQLDatabase
        /// `database` and `replica` (its 1-based place in the list): nothing personal.
        let metricDimensions: [(String, String)]
    }

    /// One replica's last measurement.
    struct Measurement: Sendable, Equatable {
        /// Replay lag in seconds; nil when it did not answer or is not replaying.
        var lag: Double?
        /// Whether it had replayed through the floor (true without one).
        var reachedFloor: Bool
    }

    private struct State {
        var measurements: [Measurement?]
        /// A WAL position (`pg_lsn` text) every replica must have replayed before it serves.
        var floor: String?
        /// Bumped with the floor, so a measurement begun against an older floor is dropped.
        var generation = 0
    }

    private let replicas: [Replica]
    private let primary: any SQLDatabase
    /// The lag bound in seconds, as the lag is measured.
    private let boundSeconds: Double
    private let interval: Duration
    private let state: Mutex<State>
    private let next = Atomic<Int>(0)

    init(replicas: [Replica], primary: any SQLDatabase, bound: Duration, interval: Duration) {
        self.replicas = replicas
        self.primary = primary
        self.boundSeconds = Double(bound.components.seconds) + Double(bound.components.attoseconds) / 1e18
        self.interval = interval
        self.state = Mutex(State(measurements: Array(repeating: nil, count: replicas.count)))
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

    /// From now on, a replica serves only once it has replayed through `position` (a `pg_lsn`
    /// the primary reported); earlier measurements no longer count.
    func requireReplay(through position: String) {
        state.withLock {
            $0.floor = position
            $0.generation += 1
            $0.measurements = Array(repeating: nil, count: replicas.count)
        }
    }

    /// The primary's current WAL position, or nil when it does not answer within a second.
    func primaryPosition() async -> String? {
        try? await withDeadline(.seconds(1), "primary did not answer") { [primary] in try await Self.position(of: primary) }
    }

    /// Where `primary`'s WAL stands now, as `pg_lsn` text.
    static func position(of primary: any SQLDatabase) async throws -> String {
        let row = try await primary.raw("SELECT pg_current_wal_lsn()::text AS lsn").first()
        guard let position = try row?.decode(column: "lsn", as: String.self) else { throw PrimaryPositionUnknown() }
        return position
    }

    /// One measurement of every replica, side by side.
    func measure() async {
        let (floor, generation) = state.withLock { ($0.floor, $0.generation) }
        let position = await primaryPosition()
        let measurements = await withTaskGroup(of: (Int, Measurement?).self) { group in
            for (index, replica) in replicas.enumerated() {
                group.addTask { (index, await Self.measure(replica, primaryPosition: position, floor: floor)) }
            }
            var measurements = Array<Measurement?>(repeating: nil, count: replicas.count)
            for await (index, measurement) in group { measurements[index] = measurement }
            return measurements
        }
        state.withLock { if $0.generation == generation { $0.measurements = measurements } }
        for (replica, measurement) in zip(replicas, measurements) {
            // Made at each measurement: the process's metrics backend is bootstrapped after the
            // database opens, and a gauge made before would report nowhere. -1: not answering.
            Gauge(label: "iworkz_db_replica_lag_seconds", dimensions: replica.metricDimensions).record(measurement?.lag ?? -1)
        }
    }

    /// With no primary position (the primary did not answer), a replica that has replayed all it
    /// received counts as current: reads can still go to it while the primary is away.
    private static func measure(_ replica: Replica, primaryPosition: String?, floor: String?) async -> Measurement? {
        try? await withDeadline(.seconds(1), "replica did not answer") {
            let row = try await replica.database.raw("""
                SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL
                            WHEN pg_last_wal_replay_lsn() >= \(bind: primaryPosition)::pg_lsn THEN 0
                            WHEN \(bind: primaryPosition)::pg_lsn IS NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                            ELSE EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))::float8 END AS lag,
                       COALESCE(pg_last_wal_replay_lsn() >= \(bind: floor)::pg_lsn, \(bind: floor)::pg_lsn IS NULL) AS reached_floor
                """).first()
            guard let row else { return nil }
            return Measurement(lag: try row.decode(column: "lag", as: Double?.self),
                               reachedFloor: try row.decode(column: "reached_floor", as: Bool.self))
        }
    }

    private func isServing(_ measurement: Measurement?) -> Bool {
        guard let measurement, measurement.reachedFloor, let lag = measurement.lag else { return false }
        return lag < boundSeconds
    }

    /// A replica to read from, taking turns among those serving; nil when none is.
    func readable() -> (any SQLDatabase)? {
        let measurements = state.withLock { $0.measurements }
        let serving = measurements.indices.filter { isServing(measurements[$0]) }
        guard !serving.isEmpty else { return nil }
        let turn = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return replicas[serving[abs(turn % serving.count)]].database
    }

    /// What `/ready` shows of each replica.
    func statuses() -> [ReplicaStatus] {
        let measurements = state.withLock { $0.measurements }
        return zip(replicas, measurements).map { replica, measurement in
            ReplicaStatus(location: replica.location.description, lagSeconds: measurement?.lag, serving: isServing(measurement))
        }
    }
}
