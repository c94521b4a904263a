import Foundation
import Gateway
import MutualTLS
import Platform
import Sovereignty

/// Which role of which region a process runs, and where its peers are. Keys:
/// - `role`: `gateway`, `backend-api`, `matching-engine` or `ai-agent` (none: all-in-one);
/// - `region`: the region whose role this is (required but for the gateway, which defaults to the
///   default region and names its certificate by it);
/// - `topology`: the topology file, where each role of each region listens (required but for
///   backend-api, which without one runs with no peer);
/// - `issuer`: the public URL every token names, the same in every process (default this
///   listener's URL);
/// - `dataDir`: the data folder (default `./iworkz-data`).
struct RoleSettings {
    let region: RegionID?
    let topology: Topology?
    let issuer: String?
    let dataDirectory: String

    init(_ settings: Settings, role: ServiceRole, config: LoadedConfiguration?, allowPlainHTTP: Bool) {
        issuer = settings.string("issuer")
        dataDirectory = settings.string("dataDir") ?? "./iworkz-data"
        guard let config else {
            region = nil
            topology = nil
            return
        }
        if let name = settings.string("region") {
            if config.catalog.region(RegionID(name)) != nil {
                region = RegionID(name)
            } else {
                settings.problem("region", "\(name.prefix(40)) is not in regions.yaml")
                region = nil
            }
        } else {
            if role != .gateway { settings.add("--role \(role.rawValue) needs --region") }
            region = config.catalog.regions.first { $0.role == .primary }?.id ?? config.catalog.regions.first?.id
        }
        guard let path = settings.string("topology") else {
            if role != .backendAPI { settings.add("--role \(role.rawValue) needs --topology (where each region's roles listen)") }
            topology = nil
            return
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            settings.add("cannot read the topology file \(path)")
            topology = nil
            return
        }
        do {
            topology = try Topology(yaml: text, catalog: config.catalog, allowPlainHTTP: allowPlainHTTP)
        } catch {
            settings.add("\(path): \(error.description)")
            topology = nil
        }
    }
}
