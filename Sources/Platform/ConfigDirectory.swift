public import Foundation

/// Finds the configuration files (`regions.yaml`, `transfer-rules.yaml`, `routes.yaml`) and the API
/// document: an explicit folder first, then `./config`, then the copies bundled with the executable.
public enum ConfigDirectory {
    /// The folder to read configuration from.
    public static func locate(explicit: String?) throws(PlatformError) -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("regions.yaml").path) else {
                throw PlatformError("config folder \(explicit) has no regions.yaml")
            }
            return url
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("config")
        if FileManager.default.fileExists(atPath: local.appendingPathComponent("regions.yaml").path) {
            return local
        }
        if let bundled = bundledResources?.appendingPathComponent("config"),
           FileManager.default.fileExists(atPath: bundled.appendingPathComponent("regions.yaml").path) {
            return bundled
        }
        throw PlatformError("no configuration found: pass --config-dir or set IWORKZ_CONFIG_DIR")
    }

    /// The OpenAPI document shipped with the executable.
    public static func openAPIDocument() throws(PlatformError) -> String {
        let candidates = [
            bundledResources?.appendingPathComponent("openapi.yaml"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("openapi.yaml"),
        ].compactMap { $0 }
        for url in candidates {
            if let text = try? String(contentsOf: url, encoding: .utf8) { return text }
        }
        throw PlatformError("openapi.yaml is missing from the installation")
    }

    /// The resource folder SwiftPM copies next to the executable, found without `Bundle.module`,
    /// which would crash a relocated binary instead of reporting the problem.
    static var bundledResources: URL? {
        let name = "iworkz_Platform.resources"
        var places = [Bundle.main.bundleURL, Bundle.main.executableURL?.deletingLastPathComponent()].compactMap { $0 }
        places += [Bundle.main.resourceURL].compactMap { $0 }
        for place in places {
            let url = place.appendingPathComponent(name).appendingPathComponent("Resources")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }
}

/// A failure to configure or start the platform, with a message for the operator.
public struct PlatformError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
