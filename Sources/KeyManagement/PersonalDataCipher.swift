public import Crypto
public import Foundation

/// Seals a person's fields and documents with their own data key (AES-256-GCM).
///
/// A sealed value is `0x01 ‖ nonce (12) ‖ ciphertext ‖ tag (16)`. The person and a context (the field
/// or object it belongs to) are authenticated with it, so a value copied into another person's row or
/// another field does not open.
public struct PersonalDataCipher: Sendable {
    static let formatVersion: UInt8 = 1
    public let vault: DataKeyVault

    public init(vault: DataKeyVault) {
        self.vault = vault
    }

    /// Seals with the person's data key, creating the key on first use.
    public func seal(_ plaintext: Data, subject: String, context: String) async throws -> Data {
        let key = try await vault.key(creatingFor: subject)
        return try Self.seal(plaintext, key: key, subject: subject, context: context)
    }

    /// Opens a sealed value; throws ``KeyManagementError/dataKeyDestroyed(subject:)`` after erasure.
    public func open(_ sealed: Data, subject: String, context: String) async throws -> Data {
        try Self.open(sealed, key: try await vault.key(for: subject), subject: subject, context: context)
    }

    /// Seals with a data key already fetched (several values of one person).
    public static func seal(_ plaintext: Data, key: SymmetricKey, subject: String, context: String) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: associatedData(subject, context)).combined else {
            throw KeyManagementError.unreadable("cannot seal")
        }
        return Data([formatVersion]) + combined
    }

    public static func open(_ sealed: Data, key: SymmetricKey, subject: String, context: String) throws -> Data {
        guard sealed.count >= 1 + 12 + 16, sealed.first == formatVersion else {
            throw KeyManagementError.unreadable("not a sealed value")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            return try AES.GCM.open(box, using: key, authenticating: associatedData(subject, context))
        } catch {
            throw KeyManagementError.unreadable("does not authenticate for \(subject) (\(context))")
        }
    }

    private static func associatedData(_ subject: String, _ context: String) -> Data {
        Data("\(subject)\u{0}\(context)".utf8)
    }
}
