public import Crypto
public import Foundation
internal import ServerKit
internal import Synchronization

/// The ES256 keys that sign access tokens, kept in `<data>/keys/jwt/`: the newest key signs, and a
/// key replaced by rotation keeps verifying until every token it signed has expired.
///
/// The ring re-reads its folder when `ring.json` changes, so `iworkz keys rotate --jwt` takes effect
/// in a running server without a restart.
public final class SigningKeyRing: Sendable {
    /// One key of the ring.
    public struct Key: Sendable {
        public let kid: String
        public let privateKey: P256.Signing.PrivateKey
        public let created: Date
        /// When the key stops verifying; nil while it is the signing key.
        public let retiresAt: Date?
    }

    struct Manifest: Codable {
        struct Entry: Codable {
            let kid: String
            let created: Date
            var retiresAt: Date?

            enum CodingKeys: String, CodingKey {
                case kid, created
                case retiresAt = "retires_at"
            }
        }

        var keys: [Entry]
    }

    private struct State {
        var keys: [Key] = []
        var manifestDate: Date?
        var checked = Date.distantPast
    }

    public let directory: URL
    /// How long an old key keeps verifying after rotation: the access-token lifetime plus leeway.
    public let verificationGrace: TimeInterval
    private let state = Mutex(State())

    /// Opens the ring, creating the folder and a first key when there is none.
    public init(directory: URL, verificationGrace: TimeInterval = 20 * 60) throws {
        self.directory = directory
        self.verificationGrace = verificationGrace
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: manifestURL.path) {
            try write(Manifest(keys: []))
            _ = try rotate()
        }
        try reload()
    }

    private var manifestURL: URL { directory.appendingPathComponent("ring.json") }

    /// Adds a new signing key; the previous one verifies for ``verificationGrace`` more. Returns the new kid.
    @discardableResult
    public func rotate(now: Date = Date()) throws -> String {
        var manifest = try readManifest()
        for index in manifest.keys.indices where manifest.keys[index].retiresAt == nil {
            manifest.keys[index].retiresAt = now.addingTimeInterval(verificationGrace)
        }
        let kid = "es256-" + UUID().uuidString.lowercased().prefix(13)
        let key = P256.Signing.PrivateKey()
        let pem = directory.appendingPathComponent("\(kid).pem")
        guard FileManager.default.createFile(atPath: pem.path, contents: Data(key.pemRepresentation.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        // Keys retired long ago can go: nothing they signed is still valid.
        manifest.keys.removeAll { entry in
            guard let retires = entry.retiresAt, retires < now else { return false }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(entry.kid).pem"))
            return true
        }
        manifest.keys.append(.init(kid: String(kid), created: now, retiresAt: nil))
        try write(manifest)
        try reload()
        return String(kid)
    }

    /// The key that signs new tokens.
    public func signingKey() throws -> Key {
        refreshIfChanged()
        guard let key = state.withLock({ $0.keys.last { $0.retiresAt == nil } }) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        return key
    }

    /// Keys that still verify at `now`.
    public func verificationKeys(now: Date = Date()) -> [Key] {
        refreshIfChanged()
        return state.withLock { $0.keys }.filter { ($0.retiresAt ?? .distantFuture) > now }
    }

    /// The public keys as a JSON Web Key Set (RFC 7517).
    public func jwks(now: Date = Date()) -> [String: [[String: String]]] {
        ["keys": verificationKeys(now: now).map { key in
            let point = key.privateKey.publicKey.x963Representation  // 0x04 || X || Y
            return [
                "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": key.kid,
                "x": Base64URL.encode(Data(point.dropFirst().prefix(32))), "y": Base64URL.encode(Data(point.dropFirst(33))),
            ]
        }]
    }

    /// Re-reads the folder.
    public func reload() throws {
        let manifest = try readManifest()
        let keys = try manifest.keys.map { entry in
            let pem = try String(contentsOf: directory.appendingPathComponent("\(entry.kid).pem"), encoding: .utf8)
            return Key(kid: entry.kid, privateKey: try P256.Signing.PrivateKey(pemRepresentation: pem),
                       created: entry.created, retiresAt: entry.retiresAt)
        }
        let date = try? FileManager.default.attributesOfItem(atPath: manifestURL.path)[.modificationDate] as? Date
        state.withLock { state in
            state.keys = keys
            state.manifestDate = date
            state.checked = Date()
        }
    }

    /// At most once a second, reloads when another process (the CLI) rotated the ring.
    private func refreshIfChanged() {
        let due = state.withLock { state -> Bool in
            guard Date().timeIntervalSince(state.checked) >= 1 else { return false }
            state.checked = Date()
            return true
        }
        guard due else { return }
        let date = try? FileManager.default.attributesOfItem(atPath: manifestURL.path)[.modificationDate] as? Date
        if date != state.withLock({ $0.manifestDate }) { try? reload() }
    }

    private func readManifest() throws -> Manifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Manifest.self, from: Data(contentsOf: manifestURL))
    }

    private func write(_ manifest: Manifest) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = directory.appendingPathComponent("ring.json.tmp")
        try encoder.encode(manifest).write(to: temporary)
        // rename(2) replaces the old manifest atomically, so a reader sees the old or the new ring.
        guard rename(temporary.path, manifestURL.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
