/// A legal order whose data-protection law governs personal data at rest in it
/// (`JP`, `KR`, `EU`, `US`, `SG`, `UK`, and any other code a rules file declares).
public struct Jurisdiction: Hashable, Sendable, Codable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// Upper-case code, as written in the configuration files.
    public let code: String

    public init(_ code: String) {
        self.code = code.uppercased()
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    public var description: String { code }

    public static func < (lhs: Jurisdiction, rhs: Jurisdiction) -> Bool { lhs.code < rhs.code }
}
