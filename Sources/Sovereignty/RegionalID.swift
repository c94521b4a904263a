/// An identifier that names the cell holding the record: `usr_jp1_0193a6b2-…` (kind, region code, UUIDv7).
///
/// The region code lets the gateway route a request for a record to its home cell without a lookup,
/// and the UUIDv7 keeps ids time-ordered for index locality.
public struct RegionalID: Hashable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// What an identifier names.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case user = "usr"
        case job = "job"
        case application = "app"
        case document = "doc"
        /// A pseudonymous candidate card shown abroad: names a card, never the person behind it.
        case card = "crd"
    }

    public let kind: Kind
    /// The region code of the home cell, e.g. `jp1`.
    public let regionCode: String
    /// The lower-case UUIDv7 with dashes.
    public let uuid: String

    /// Parses and validates an identifier; returns nil when it is malformed.
    public init?(_ description: String) {
        guard let parsed = try? Self.parse(description) else { return nil }
        self = parsed
    }

    private init(kind: Kind, regionCode: String, uuid: String) {
        self.kind = kind
        self.regionCode = regionCode
        self.uuid = uuid
    }

    public var description: String { "\(kind.rawValue)_\(regionCode)_\(uuid)" }

    /// Parses an identifier, explaining what is wrong with a malformed one.
    public static func parse(_ text: String) throws(SovereigntyError) -> RegionalID {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw SovereigntyError(.malformedIdentifier, "identifier must look like usr_jp1_<uuidv7>")
        }
        guard let kind = Kind(rawValue: String(parts[0])) else {
            let kinds = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw SovereigntyError(.malformedIdentifier, "identifier kind must be one of \(kinds)")
        }
        let code = String(parts[1])
        guard isValidRegionCode(code) else {
            throw SovereigntyError(.malformedIdentifier, "identifier region code must be two letters and a digit, like jp1")
        }
        let uuid = String(parts[2])
        guard isValidUUIDv7(uuid) else {
            throw SovereigntyError(.malformedIdentifier, "identifier must end in a lower-case UUIDv7")
        }
        return RegionalID(kind: kind, regionCode: code, uuid: uuid)
    }

    /// Parses an identifier and checks that it names the expected kind of record.
    public static func parse(_ text: String, kind: Kind) throws(SovereigntyError) -> RegionalID {
        let id = try parse(text)
        guard id.kind == kind else {
            throw SovereigntyError(.malformedIdentifier, "identifier names a \(id.kind.rawValue), expected a \(kind.rawValue)")
        }
        return id
    }

    /// A new identifier; pure given its inputs so tests can pin time and randomness.
    public static func generate<R: RandomNumberGenerator>(
        kind: Kind, regionCode: String, millisecondsSince1970: UInt64, using rng: inout R
    ) -> RegionalID {
        var bytes = [UInt8](repeating: 0, count: 16)
        let time = millisecondsSince1970 & 0xFFFF_FFFF_FFFF
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: time >> (8 * (5 - index)))
        }
        for index in 6..<16 {
            bytes[index] = UInt8.random(in: .min ... .max, using: &rng)
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        return RegionalID(kind: kind, regionCode: regionCode.lowercased(), uuid: format(bytes))
    }

    /// A new identifier stamped with the current time and the system random generator.
    public static func generate(kind: Kind, regionCode: String, millisecondsSince1970: UInt64) -> RegionalID {
        var rng = SystemRandomNumberGenerator()
        return generate(kind: kind, regionCode: regionCode, millisecondsSince1970: millisecondsSince1970, using: &rng)
    }

    /// The creation time carried by the UUIDv7, in milliseconds since 1970.
    public var millisecondsSince1970: UInt64 {
        let hex = String(uuid.filter { $0 != "-" }.prefix(12))
        return UInt64(hex, radix: 16) ?? 0
    }

    /// Whether a region code has the form two lower-case letters and a digit (`jp1`).
    public static func isValidRegionCode(_ code: String) -> Bool {
        let scalars = Array(code.unicodeScalars)
        guard scalars.count == 3 else { return false }
        return isLowerLetter(scalars[0]) && isLowerLetter(scalars[1]) && ("0"..."9").contains(scalars[2])
    }

    private static func isLowerLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) }

    private static func isValidUUIDv7(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 36 else { return false }
        for (index, scalar) in scalars.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard scalar == "-" else { return false }
            } else {
                guard ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar) else { return false }
            }
        }
        guard scalars[14] == "7" else { return false }
        return ["8", "9", "a", "b"].contains(scalars[19])
    }

    private static func format(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append("-") }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Self.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
