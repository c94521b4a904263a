public import Crypto
public import Foundation

/// A keyed hash of a value that must be looked up but not stored in the clear (a person's email):
/// equal values give equal indexes, and without the cell's key the index reveals nothing.
public struct BlindIndex: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// Opens the key file, creating a random 256-bit key (owner-only) when it does not exist.
    public init(keyFile: URL) throws(KeyManagementError) {
        self.init(key: try LocalKeyFile.loadOrCreate(keyFile))
    }

    /// The hex HMAC-SHA256 of the value.
    public func index(_ value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in mac {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A 256-bit key in a file of its own, generated at first use.
enum LocalKeyFile {
    static func loadOrCreate(_ url: URL) throws(KeyManagementError) -> SymmetricKey {
        if let bytes = FileManager.default.contents(atPath: url.path) {
            guard bytes.count == 32 else { throw .keyStore("\(url.path) is not a 256-bit key") }
            return SymmetricKey(data: bytes)
        }
        let key = SymmetricKey(size: .bits256)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .keyStore("cannot create \(url.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        guard FileManager.default.createFile(atPath: url.path, contents: key.withUnsafeBytes { Data($0) },
                                             attributes: [.posixPermissions: 0o600]) else {
            throw .keyStore("cannot write \(url.path)")
        }
        return key
    }
}
