public import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// A versioned object store in a folder: `<root>/<key>/@<version>.bin` holds a version's bytes and
/// `@<version>.json` its metadata. Version ids are sequence numbers, reserved with an atomic `link`,
/// so concurrent puts of one key never overwrite each other. `@` cannot appear in a key, so a key's
/// versions never collide with a longer key below it.
public struct FileSystemObjectStore: ObjectStore {
    public let root: URL
    private let now: @Sendable () -> Date

    public init(root: URL, now: @escaping @Sendable () -> Date = Date.init) throws(ObjectStoreError) {
        self.root = root
        self.now = now
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io("cannot create \(root.path): \(error.localizedDescription)")
        }
    }

    public func put(_ data: Data, key: ObjectKey, contentType: String, metadata: [String: String]) async throws -> ObjectVersion {
        let folder = folder(of: key)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = folder.appendingPathComponent(".upload-\(UUID().uuidString)")
            try data.write(to: temporary)
            defer { try? FileManager.default.removeItem(at: temporary) }
            var number = (try versionNumbers(in: folder).last ?? 0) + 1
            // link(2) fails with EEXIST when another put took the number: take the next one.
            while link(temporary.path, folder.appendingPathComponent("@\(Self.id(number)).bin").path) != 0 {
                guard errno == EEXIST else { throw ObjectStoreError.io("cannot store \(key): errno \(errno)") }
                number += 1
            }
            let version = ObjectVersion(key: key.description, versionID: Self.id(number), contentType: contentType, size: data.count,
                                        createdAt: now(), storageClass: .standard, metadata: metadata)
            try writeMetadata(version, in: folder)
            return version
        } catch let error as ObjectStoreError {
            throw error
        } catch {
            throw ObjectStoreError.io("cannot store \(key): \(error.localizedDescription)")
        }
    }

    public func get(_ key: ObjectKey, version: String?) async throws -> StoredObject? {
        let folder = folder(of: key)
        let chosen: String
        if let version {
            guard let number = Int(version), number > 0 else { return nil }
            chosen = Self.id(number)
        } else {
            guard let latest = try versionNumbers(in: folder).last else { return nil }
            chosen = Self.id(latest)
        }
        guard let info = try readMetadata(folder.appendingPathComponent("@\(chosen).json")),
              let data = FileManager.default.contents(atPath: folder.appendingPathComponent("@\(chosen).bin").path) else { return nil }
        return StoredObject(version: info, data: data)
    }

    public func versions(of key: ObjectKey) async throws -> [ObjectVersion] {
        let folder = folder(of: key)
        return try versionNumbers(in: folder).reversed().compactMap { try readMetadata(folder.appendingPathComponent("@\(Self.id($0)).json")) }
    }

    public func list(prefix: String) async throws -> [ObjectVersion] {
        var found: [ObjectVersion] = []
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            guard let latest = try versionNumbers(in: url).last,
                  let info = try readMetadata(url.appendingPathComponent("@\(Self.id(latest)).json")),
                  info.key.hasPrefix(prefix) else { continue }
            found.append(info)
        }
        return found.sorted { $0.key < $1.key }
    }

    public func delete(_ key: ObjectKey) async throws -> Bool {
        let folder = folder(of: key)
        let numbers = try versionNumbers(in: folder)
        guard !numbers.isEmpty else { return false }
        for number in numbers {
            for suffix in ["bin", "json"] {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent("@\(Self.id(number)).\(suffix)"))
            }
        }
        // The folder goes too, unless longer keys live below it.
        if (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: folder)
        }
        return true
    }

    public func applyLifecycle(_ rules: [LifecycleRule], now: Date) async throws -> LifecycleReport {
        var report = LifecycleReport()
        for rule in rules {
            for latest in try await list(prefix: rule.prefix) {
                let key = try ObjectKey(latest.key)
                let folder = folder(of: key)
                let all = try await versions(of: key)
                if let days = rule.archiveAfterDays, latest.storageClass == .standard,
                   now.timeIntervalSince(latest.createdAt) >= Double(days) * 86_400 {
                    var archived = latest
                    archived.storageClass = .archive
                    try writeMetadata(archived, in: folder)
                    report.archived += 1
                }
                for older in rule.expired(all, now: now) {
                    for suffix in ["bin", "json"] {
                        try? FileManager.default.removeItem(at: folder.appendingPathComponent("@\(older.versionID).\(suffix)"))
                    }
                    report.expired += 1
                }
            }
        }
        return report
    }

    private func folder(of key: ObjectKey) -> URL {
        root.appendingPathComponent(key.description, isDirectory: true)
    }

    /// Versions whose metadata is written (a put is visible once complete), oldest first.
    private func versionNumbers(in folder: URL) throws -> [Int] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("@"), name.hasSuffix(".json") else { return nil }
            return Int(name.dropFirst().dropLast(5))
        }.sorted()
    }

    private func writeMetadata(_ version: ObjectVersion, in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        try encoder.encode(version).write(to: folder.appendingPathComponent("@\(version.versionID).json"), options: .atomic)
    }

    private func readMetadata(_ url: URL) throws -> ObjectVersion? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(ObjectVersion.self, from: data) } catch {
            throw ObjectStoreError.io("metadata \(url.lastPathComponent) is unreadable")
        }
    }

    /// Version ids are zero-padded so they sort as text too.
    static func id(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
