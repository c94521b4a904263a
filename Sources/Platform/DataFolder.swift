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

    /// The head record of a cell's audit log (newest sequence number and hash), kept outside its database.
    public func auditHeadPath(for region: RegionID) -> URL {
        root.appendingPathComponent("audit").appendingPathComponent("\(region.rawValue).head")
    }

    /// A cell's keys: key-encryption keys (`kek/`), the key store of per-person data keys and the
    /// blind-index key. Kept apart from the cell's database so database backups never hold them.
    public func cellKeysDirectory(for region: RegionID) -> URL {
        root.appendingPathComponent("keys").appendingPathComponent("cells").appendingPathComponent(region.rawValue)
    }

    /// A cell's object store (documents) on the filesystem.
    public func objectStoreDirectory(for region: RegionID) -> URL {
        root.appendingPathComponent("objects").appendingPathComponent(region.rawValue)
    }

    /// A cell's outbox: messages to people (email confirmations) waiting for a sender, one file each.
    public func outboxDirectory(for region: RegionID) -> URL {
        root.appendingPathComponent("outbox").appendingPathComponent(region.rawValue)
    }

    /// Where confidential OAuth clients' secrets are generated.
    public var clientSecretsDirectory: URL {
        root.appendingPathComponent("keys").appendingPathComponent("clients")
    }

    /// Where the ES256 keys that sign access tokens live (generated at first start).
    public var signingKeyDirectory: URL {
        root.appendingPathComponent("keys").appendingPathComponent("jwt")
    }
}
