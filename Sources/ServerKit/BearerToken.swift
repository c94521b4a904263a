/// The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), read byte by byte: the
/// scheme is matched without case, and spaces and tabs around the token dropped, without copying or
/// re-encoding the header (a token is hundreds of bytes, on every request).
public enum BearerToken {
    /// The token, or nil when the header uses another scheme.
    public static func parse(_ authorization: String) -> String? {
        let bytes = authorization.utf8
        let scheme = "bearer ".utf8
        guard bytes.count > scheme.count,
              zip(bytes, scheme).allSatisfy({ byte, expected in expected == 0x20 ? byte == 0x20 : byte | 0x20 == expected }) else {
            return nil
        }
        var start = bytes.index(bytes.startIndex, offsetBy: scheme.count)
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while end > start, bytes[bytes.index(before: end)] == 0x20 || bytes[bytes.index(before: end)] == 0x09 { end = bytes.index(before: end) }
        return String(authorization[start..<end])
    }
}
