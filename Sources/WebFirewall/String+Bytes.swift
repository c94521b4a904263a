internal import Foundation
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension String {
    /// Whether the UTF-8 of the string holds `byte`, found with `memchr` in its contiguous storage:
    /// a byte-by-byte loop showed as a tenth of a clean profile's screen.
    func containsUTF8(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        } ?? utf8.contains(byte)
    }
}

extension Data {
    /// Whether the data holds `byte`, found with `memchr`.
    func containsByte(_ byte: UInt8) -> Bool {
        withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 of a scalar.
    mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        UTF8.encode(scalar) { append($0) }
    }
}
