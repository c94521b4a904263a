public import Crypto
public import Foundation
#if canImport(Glibc)
internal import Glibc
#endif
internal import Synchronization

/// Key-encryption keys kept as files in a folder of the data folder (`kek-v1.key`, `kek-v2.key`, …),
/// 32 random bytes each, readable only by the owner and generated at first use; never in the repository.
///
/// The newest file is the current version. Rotation by another process (`iworkz keys rotate`) is seen
/// at the next call, because the folder is listed again when a version is asked for that is not cached.
public final class LocalKeyEncryptionKeys: KeyEncryptionKeyProvider {
    public let directory: URL
    private let cache = Mutex<[Int: SymmetricKey]>([:])

    /// Opens the folder, creating it and a first key when it holds none.
    public init(directory: URL) throws(KeyManagementError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .keyStore("cannot create \(directory.path): \(error.localizedDescription)")
        }
        if try versions().isEmpty { _ = try rotate() }
    }

    /// The versions present, oldest first.
    public func versions() throws(KeyManagementError) -> [Int] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
            throw .keyStore("cannot list \(directory.path): \(error.localizedDescription)")
        }
        return names.compactMap(Self.version(ofFile:)).sorted()
    }

    public func currentVersion() throws -> Int {
        guard let newest = try versions().last else { throw KeyManagementError.keyStore("no key-encryption key in \(directory.path)") }
        return newest
    }

    public func key(version: Int) throws -> SymmetricKey {
        if let key = cache.withLock({ $0[version] }) { return key }
        guard let bytes = FileManager.default.contents(atPath: file(version).path) else {
            throw KeyManagementError.unknownKeyVersion(version)
        }
        guard bytes.count == 32 else { throw KeyManagementError.keyStore("\(file(version).lastPathComponent) is not a 256-bit key") }
        let key = SymmetricKey(data: bytes)
        cache.withLock { $0[version] = key }
        return key
    }

    @discardableResult
    public func rotate() throws(KeyManagementError) -> Int {
        let next = (try versions().last ?? 0) + 1
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { [UInt8]($0) }
        // O_EXCL: two processes rotating at once cannot both write the same version.
        let descriptor = open(file(next).path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw .keyStore("cannot create \(file(next).path): errno \(errno)") }
        defer { close(descriptor) }
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw .keyStore("cannot write \(file(next).path): errno \(errno)")
        }
        return next
    }

    /// Deletes a version's file: data keys still wrapped by it become unreadable. Only for versions
    /// nothing is wrapped by any more (after a re-wrap).
    public func retire(version: Int) throws(KeyManagementError) {
        guard version != (try? currentVersion()) else { throw .keyStore("the current key-encryption key cannot be retired") }
        do { try FileManager.default.removeItem(at: file(version)) } catch {
            throw .keyStore("cannot remove \(file(version).lastPathComponent): \(error.localizedDescription)")
        }
        _ = cache.withLock { $0.removeValue(forKey: version) }
    }

    private func file(_ version: Int) -> URL {
        directory.appendingPathComponent("kek-v\(version).key")
    }

    static func version(ofFile name: String) -> Int? {
        guard name.hasPrefix("kek-v"), name.hasSuffix(".key") else { return nil }
        return Int(name.dropFirst(5).dropLast(4)).flatMap { $0 > 0 ? $0 : nil }
    }
}
