public import Crypto
public import Foundation
public import Sovereignty

/// The data folder of an all-in-one platform: one SQLite file per cell and the development keys.
///
/// Keys are generated at first start (never committed) and readable only by the owner.
public struct DataFolder: Sendable {
    public let root: URL

    public init(path: String) throws(PlatformError) {
        root = URL(fileURLWithPath: path).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("cells"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("keys"), withIntermediateDirectories: true)
        } catch {
            throw PlatformError("cannot create data folder \(root.path): \(error.localizedDescription)")
        }
    }

    /// The database file of a cell.
    public func databasePath(for region: RegionID) -> String {
        root.appendingPathComponent("cells").appendingPathComponent("\(region.rawValue).sqlite").path
    }

    /// The key that signs development tokens, created on first use.
    public func developmentTokenKey() throws(PlatformError) -> SymmetricKey {
        let url = root.appendingPathComponent("keys").appendingPathComponent("development-token.key")
        if let data = try? Data(contentsOf: url) {
            guard data.count == 32 else { throw PlatformError("\(url.path) is not a 32-byte key; delete it to generate a new one") }
            return SymmetricKey(data: data)
        }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw PlatformError("cannot write \(url.path)")
        }
        return key
    }
}
