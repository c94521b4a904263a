public import Crypto

/// Where a cell's key-encryption keys (KEKs) come from: the seam between envelope encryption and a
/// key store (files in the data folder today; a KMS or HSM in production).
///
/// Keys are versioned. The newest version wraps new data keys; older versions stay available so data
/// keys wrapped before a rotation can still be unwrapped until they are re-wrapped.
public protocol KeyEncryptionKeyProvider: Sendable {
    /// The version that wraps new data keys.
    func currentVersion() throws -> Int
    /// The key of a version; throws ``KeyManagementError/unknownKeyVersion(_:)`` when it is gone.
    func key(version: Int) throws -> SymmetricKey
    /// Creates a new version, which becomes current, and returns it.
    func rotate() throws -> Int
}

/// What can go wrong with keys and sealed data.
public enum KeyManagementError: Error, Equatable, CustomStringConvertible {
    /// The person's data key was destroyed (erasure): their sealed data can never be read again.
    case dataKeyDestroyed(subject: String)
    /// A sealed value names a key-encryption key version the provider does not have.
    case unknownKeyVersion(Int)
    /// A sealed value is not in the envelope format, or it was altered.
    case unreadable(String)
    /// The key folder or key store could not be used.
    case keyStore(String)

    public var description: String {
        switch self {
        case .dataKeyDestroyed(let subject): "the data key of \(subject) was destroyed; its data cannot be decrypted"
        case .unknownKeyVersion(let version): "key-encryption key version \(version) is not available"
        case .unreadable(let detail): "sealed data is unreadable: \(detail)"
        case .keyStore(let detail): "key store: \(detail)"
        }
    }
}
