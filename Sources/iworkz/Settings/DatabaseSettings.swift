import Foundation
import Platform
import Sovereignty

/// Where the cells keep their records. Keys:
/// - `databaseUrl`: unset for the embedded SQLite files in the data folder, or a `postgres://` URL
///   (`?sslmode=disable|prefer|require|verify-ca|verify-full`, `sslrootcert=`, `pool_size=`) in which
///   `{region}` stands for the region's id with `_` for `-` (`…/iworkz_{region}`; required when one
///   process runs several regions);
/// - `createDatabase`: `true` creates a region's database when the server lacks it (default false);
/// - `databaseReplicaUrls`: read replicas of the primary, comma-separated, the same form; reads of
///   profiles, postings and searches go to one whose replay lag is under `maxReplicaLag`;
/// - `maxReplicaLag`: seconds (default 5, the seed's bound);
/// - `migrateAtStart`: `false` refuses to start on a database that lacks migrations, for
///   deployments that run `iworkz migrate` as a step of their own (default true).
struct DatabaseSettings {
    let choice: DatabaseChoice

    init(_ settings: Settings) {
        let create = settings.bool("createDatabase") ?? false
        let migrate = settings.bool("migrateAtStart") ?? true
        let lag = settings.double("maxReplicaLag", in: 0.1...600) ?? 5
        let replicas = (settings.string("databaseReplicaUrls") ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let url = settings.string("databaseUrl"), url != "sqlite" else {
            if !replicas.isEmpty { settings.problem("databaseReplicaUrls", "needs a primary: set databaseUrl too") }
            choice = .sqlite
            return
        }
        let candidate = DatabaseChoice.postgres(PostgresDeployment(
            primary: url, replicas: replicas, maxReplicaLag: .milliseconds(Int(lag * 1000)), createDatabase: create, migrateAtStart: migrate))
        do throws(PlatformError) {
            // One region with the usual shape shows a malformed URL now; each real region is checked at start.
            try candidate.check(regions: [.init("jp-tokyo")])
            choice = candidate
        } catch {
            settings.problem("databaseUrl", error.message)
            choice = .sqlite
        }
    }
}
