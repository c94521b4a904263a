internal import Foundation
public import Sovereignty
internal import Identity
internal import RedisClient

/// Where each region keeps its sign-in sessions — authorization codes and refresh-token families:
/// the cell's database (the default), or the region's own Redis or Redis Cluster, the seed's
/// session storage. Sessions name their person, so like every personal record they stay in the
/// region: the URL template's `{region}` stands for the region's id (`redis://sessions.{region}.internal`),
/// and a process serving several regions must use it.
public enum SessionStoreChoice: Sendable {
    case database
    case redis(template: String)

    public func check(regions: [RegionID]) throws(PlatformError) {
        guard case .redis(let template) = self else { return }
        if regions.count > 1, !template.contains("{region}") {
            throw PlatformError("sessions Redis URL: one server for several regions would mix their people's sessions; name each region's with {region}")
        }
        for region in regions {
            do { _ = try RedisConfiguration(url: Self.url(template: template, region: region)) } catch {
                throw PlatformError("sessions Redis URL: \(error.description)")
            }
        }
    }

    static func url(template: String, region: RegionID) -> String {
        template.replacingOccurrences(of: "{region}", with: region.rawValue)
    }

    /// The region's Redis, or nil when sessions stay in the database.
    func client(for region: RegionID) throws(PlatformError) -> RedisClient? {
        guard case .redis(let template) = self else { return nil }
        do { return RedisClient(configuration: try RedisConfiguration(url: Self.url(template: template, region: region))) } catch {
            throw PlatformError("sessions Redis URL: \(error.description)")
        }
    }
}
