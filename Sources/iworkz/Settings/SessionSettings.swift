import Platform
import Sovereignty

/// Where each region keeps its sign-in sessions (authorization codes, refresh-token families). Key:
/// - `sessionsRedisUrl`: unset keeps them in the region's database; a `redis://` or `rediss://` URL
///   (several hosts or `?cluster=true` for a Redis Cluster) in which `{region}` stands for the
///   region's id, required when one process runs several regions.
struct SessionSettings {
    let choice: SessionStoreChoice

    init(_ settings: Settings) {
        guard let url = settings.string("sessionsRedisUrl") else {
            choice = .database
            return
        }
        let candidate = SessionStoreChoice.redis(template: url)
        do throws(PlatformError) {
            try candidate.check(regions: [.init("jp-tokyo")])
            choice = candidate
        } catch {
            settings.problem("sessionsRedisUrl", error.message)
            choice = .database
        }
    }
}
