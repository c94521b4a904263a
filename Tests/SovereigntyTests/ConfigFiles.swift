import Foundation
import Sovereignty

/// The configuration files shipped in the repository's `config/` folder.
enum ConfigFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func catalog() throws -> RegionCatalog {
        try RegionCatalog(yaml: text("regions.yaml"))
    }

    static func policy() throws -> TransferPolicy {
        try TransferPolicy(yaml: text("transfer-rules.yaml"))
    }
}
