internal import Crypto
public import Foundation

/// Unguessable tokens and their storage digests.
public enum RandomToken {
    /// `bytes` random bytes as base64url.
    public static func make(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode(Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    /// The SHA-256 of a token, hex: what the database keeps, so a leaked table holds no usable token.
    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// PKCE S256: base64url(SHA-256(verifier)) must equal the challenge (RFC 7636 §4.6).
    public static func pkceMatches(verifier: String, challenge: String) -> Bool {
        guard (43...128).contains(verifier.count),
              verifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) }) else { return false }
        return Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8)))) == challenge
    }
}
