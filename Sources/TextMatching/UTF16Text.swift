/// A text as ICU searches it: its UTF-16 code units, and where each UTF-8 offset falls among them
/// (the keyword automaton reports UTF-8 offsets).
struct UTF16Text: Sendable {
    /// The code units, then one terminating zero that `count` leaves out: ICU takes a pointer even
    /// for an empty text.
    private let units: [UInt16]
    let count: Int
    /// The UTF-16 offset of each UTF-8 offset `0...utf8Count`; nil when the text is ASCII (they agree).
    private let unitOfByte: [Int32]?
    /// Whether a scalar takes two units somewhere, so that scalar counts must be doubled to be units.
    let hasSurrogates: Bool

    init(_ text: String) {
        var text = text
        (units, unitOfByte, hasSurrogates) = text.withUTF8 { bytes -> ([UInt16], [Int32]?, Bool) in
            // A text never has more UTF-16 units than UTF-8 bytes; one more for the terminator.
            guard bytes.contains(where: { $0 >= 0x80 }) else {
                let units = [UInt16](unsafeUninitializedCapacity: bytes.count + 1) { buffer, count in
                    for index in 0..<bytes.count { buffer[index] = UInt16(bytes[index]) }
                    buffer[bytes.count] = 0
                    count = bytes.count + 1
                }
                return (units, nil, false)
            }
            var surrogates = false
            var unitOfByte: [Int32] = []
            let units = [UInt16](unsafeUninitializedCapacity: bytes.count + 1) { buffer, count in
                unitOfByte = [Int32](unsafeUninitializedCapacity: bytes.count + 1) { offsets, offsetCount in
                    var unit = 0, offset = 0
                    // Valid UTF-8 (a Swift string is): each scalar's bytes all map to the unit it starts at.
                    while offset < bytes.count {
                        let lead = bytes[offset]
                        if lead < 0x80 {
                            offsets[offset] = Int32(unit)
                            buffer[unit] = UInt16(lead)
                            unit += 1
                            offset += 1
                            continue
                        }
                        let length = min(lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, bytes.count - offset)
                        var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                        for index in offset..<(offset + length) {
                            offsets[index] = Int32(unit)
                            if index > offset { scalar = scalar << 6 | UInt32(bytes[index] & 0x3F) }
                        }
                        if scalar >= 0x10000 {
                            surrogates = true
                            buffer[unit] = UInt16(0xD800 + ((scalar - 0x10000) >> 10))
                            buffer[unit + 1] = UInt16(0xDC00 + ((scalar - 0x10000) & 0x3FF))
                            unit += 2
                        } else {
                            buffer[unit] = UInt16(scalar)
                            unit += 1
                        }
                        offset += length
                    }
                    offsets[bytes.count] = Int32(unit)
                    offsetCount = bytes.count + 1
                    buffer[unit] = 0
                    count = unit + 1
                }
            }
            return (units, unitOfByte, surrogates)
        }
        count = units.count - 1
    }

    /// The UTF-16 offset of a UTF-8 offset of the text.
    func unit(atByte byte: Int) -> Int {
        guard let unitOfByte else { return min(byte, count) }
        return Int(unitOfByte[min(byte, unitOfByte.count - 1)])
    }

    /// The first match of `regex` inside one of `regions` (UTF-16 offsets), starting at a region's
    /// lower bound when `anchored`.
    func firstMatch(of regex: ICURegex, in regions: [Range<Int>], anchored: Bool = false) -> Range<Int>? {
        units.withUnsafeBufferPointer { regex.firstMatch(in: $0, count: count, regions: regions, anchored: anchored) }
    }
}
