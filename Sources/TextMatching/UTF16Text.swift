/// A text as ICU searches it: its UTF-16 code units, and where each UTF-8 offset falls among them
/// (the keyword automaton reports UTF-8 offsets).
struct UTF16Text: Sendable {
    /// The code units, then one terminating zero that `count` leaves out: ICU takes a pointer even
    /// for an empty text.
    private let units: [UInt16]
    let count: Int
    /// The text itself, to count units from a checkpoint; nil when it is ASCII (offsets agree).
    private let utf8: String?
    /// Every `checkpointSpacing` bytes, the first scalar that starts there or after: its UTF-8 offset
    /// and its UTF-16 offset. A full table of one offset per byte cost more than the conversion.
    private let checkpoints: [(byte: Int32, unit: Int32)]
    private static let checkpointSpacing = 64
    /// Whether a scalar takes two units somewhere, so that scalar counts must be doubled to be units.
    let hasSurrogates: Bool

    /// Whether the units are case-folded (``CaseFoldedSource``), as lowered patterns need: ASCII
    /// letters lowercased, the Kelvin sign and the long s replaced by the letters they fold to.
    let isFolded: Bool

    init(_ text: String, foldingCase: Bool = false) {
        var text = text
        var checkpoints: [(byte: Int32, unit: Int32)] = []
        var surrogates = false
        let ascii = text.withUTF8 { bytes in !bytes.contains { $0 >= 0x80 } }
        units = text.withUTF8 { bytes -> [UInt16] in
            // A text never has more UTF-16 units than UTF-8 bytes; one more for the terminator.
            [UInt16](unsafeUninitializedCapacity: bytes.count + 1) { buffer, count in
                if ascii {
                    for index in 0..<bytes.count { buffer[index] = foldingCase ? CaseFoldedSource.foldedASCII(bytes[index]) : UInt16(bytes[index]) }
                    buffer[bytes.count] = 0
                    count = bytes.count + 1
                    return
                }
                checkpoints.reserveCapacity(bytes.count / Self.checkpointSpacing + 2)
                var unit = 0, offset = 0, nextCheckpoint = 0
                // Valid UTF-8 (a Swift string is), decoded by the length its lead byte gives.
                while offset < bytes.count {
                    if offset >= nextCheckpoint {
                        checkpoints.append((Int32(offset), Int32(unit)))
                        nextCheckpoint = checkpoints.count * Self.checkpointSpacing
                    }
                    let lead = UInt32(bytes[offset])
                    if lead < 0x80 {
                        buffer[unit] = foldingCase ? CaseFoldedSource.foldedASCII(UInt8(lead)) : UInt16(lead)
                        unit += 1
                        offset += 1
                    } else if lead < 0xE0 {
                        let value = UInt16((lead & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F))
                        buffer[unit] = foldingCase && value == CaseFoldedSource.longS ? CaseFoldedSource.foldedLongS : value
                        unit += 1
                        offset += 2
                    } else if lead < 0xF0 {
                        let value = UInt16((lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6 | UInt32(bytes[offset + 2] & 0x3F))
                        buffer[unit] = foldingCase && value == CaseFoldedSource.kelvinSign ? CaseFoldedSource.foldedKelvinSign : value
                        unit += 1
                        offset += 3
                    } else {
                        let scalar = (lead & 0x07) << 18 | UInt32(bytes[offset + 1] & 0x3F) << 12
                            | UInt32(bytes[offset + 2] & 0x3F) << 6 | UInt32(bytes[offset + 3] & 0x3F)
                        surrogates = true
                        buffer[unit] = UInt16(0xD800 + ((scalar - 0x10000) >> 10))
                        buffer[unit + 1] = UInt16(0xDC00 + ((scalar - 0x10000) & 0x3FF))
                        unit += 2
                        offset += 4
                    }
                }
                buffer[unit] = 0
                count = unit + 1
            }
        }
        count = units.count - 1
        utf8 = ascii ? nil : text
        self.checkpoints = checkpoints
        hasSurrogates = surrogates
        isFolded = foldingCase
    }

    /// The UTF-16 offset of a UTF-8 offset of the text where a scalar starts (or its end).
    func unit(atByte byte: Int) -> Int {
        guard var text = utf8 else { return min(byte, count) }
        return text.withUTF8 { bytes in
            let byte = min(byte, bytes.count)
            var index = min(byte / Self.checkpointSpacing, checkpoints.count - 1)
            // A scalar may straddle the checkpoint's boundary: then the one before it applies.
            while index > 0, Int(checkpoints[index].byte) > byte { index -= 1 }
            var unit = Int(checkpoints[index].unit)
            for offset in Int(checkpoints[index].byte)..<byte {
                let lead = bytes[offset]
                // Count each scalar at its lead byte: one unit, or two from four-byte sequences on.
                if lead & 0xC0 != 0x80 { unit += lead >= 0xF0 ? 2 : 1 }
            }
            return unit
        }
    }

    /// Whether every one of `wanted` occurs among the units of `range`.
    func contains(all wanted: [UInt16], in range: Range<Int>) -> Bool {
        units.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[range.clamped(to: 0..<count)])
            return wanted.allSatisfy { slice.contains($0) }
        }
    }

    /// The first match of `regex` inside one of `regions` (UTF-16 offsets), starting at a region's
    /// lower bound when `anchored`.
    func firstMatch(of regex: ICURegex, in regions: [Range<Int>], anchored: Bool = false) -> Range<Int>? {
        units.withUnsafeBufferPointer { regex.firstMatch(in: $0, count: count, regions: regions, anchored: anchored) }
    }
}
