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
        let (units, unitOfByte, hasSurrogates) = text.withUTF8 { bytes -> ([UInt16], [Int32]?, Bool) in
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count + 1)
            guard bytes.contains(where: { $0 >= 0x80 }) else {
                units.append(contentsOf: bytes.lazy.map(UInt16.init))
                units.append(0)
                return (units, nil, false)
            }
            var unitOfByte = [Int32](repeating: 0, count: bytes.count + 1)
            var surrogates = false
            var offset = 0
            // Valid UTF-8: a Swift string is; each scalar's bytes all map to the unit it starts at.
            while offset < bytes.count {
                let lead = bytes[offset]
                let length = min(lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, bytes.count - offset)
                for index in offset..<(offset + length) { unitOfByte[index] = Int32(units.count) }
                var scalar = UInt32(lead) & (length == 1 ? 0x7F : length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for index in (offset + 1)..<(offset + length) { scalar = scalar << 6 | UInt32(bytes[index] & 0x3F) }
                if scalar >= 0x10000 {
                    surrogates = true
                    units.append(UInt16(0xD800 + ((scalar - 0x10000) >> 10)))
                    units.append(UInt16(0xDC00 + ((scalar - 0x10000) & 0x3FF)))
                } else {
                    units.append(UInt16(scalar))
                }
                offset += length
            }
            unitOfByte[bytes.count] = Int32(units.count)
            units.append(0)
            return (units, unitOfByte, surrogates)
        }
        self.units = units
        self.count = units.count - 1
        self.unitOfByte = unitOfByte
        self.hasSurrogates = hasSurrogates
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
