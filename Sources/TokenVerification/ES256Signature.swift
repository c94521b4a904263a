/// ES256 signatures in their canonical low-S form.
///
/// For every ECDSA signature (r, s) the pair (r, n − s) verifies too, so a token could be re-signed
/// into a second valid string without the key. Tokens are issued with s ≤ n/2 and any other form is
/// refused, so each token has exactly one valid spelling.
package enum ES256Signature {
    /// The order n of the P-256 group, big-endian.
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ]
    /// ⌊n/2⌋, big-endian.
    static let halfOrder: [UInt8] = [
        0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
    ]

    /// Whether the JOSE signature (r ‖ s, 32 bytes each) has s above n/2.
    package static func isHighS(_ signature: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        return Array(signature[32...]).lexicographicallyPrecedes(halfOrder) == false && Array(signature[32...]) != halfOrder
    }

    /// The same signature with s replaced by n − s when s is above n/2.
    package static func lowS(_ signature: [UInt8]) -> [UInt8] {
        guard isHighS(signature) else { return signature }
        var s = Array(signature[32...])
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            let difference = Int(order[index]) - Int(s[index]) - borrow
            s[index] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        return Array(signature[..<32]) + s
    }
}
