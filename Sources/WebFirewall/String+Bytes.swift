extension String {
    /// Whether the UTF-8 of the string holds `byte`, read from its contiguous storage: the generic
    /// `utf8.contains` showed as a tenth of a clean request's screen.
    func containsUTF8(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? utf8.contains(byte)
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 of a scalar.
    mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        UTF8.encode(scalar) { append($0) }
    }
}
