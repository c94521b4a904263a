public import Foundation
internal import Yams
internal import TextMatching

/// `config/employers.yaml`: the company identifier an employer registers with, per country, and how
/// it is checked — Japan's 13-digit corporate number (法人番号) and Korea's 10-digit business
/// registration number (사업자등록번호) by their check digits, other countries by a configured format.
public struct CorporateNumbers: Sendable {
    public enum Scheme: String, Sendable, Decodable {
        case japaneseCorporateNumber = "jp-corporate-number"
        case koreanBusinessRegistration = "kr-business-registration"
        case format
    }

    public struct Rule: Sendable {
        public let scheme: Scheme
        /// What the number is called, for messages.
        public let name: String
        let pattern: BoundedPattern?
    }

    let rules: [String: Rule]
    let fallback: Rule?

    /// The rule for employers of `country` (ISO 3166-1 alpha-2), or the default one.
    public func rule(for country: String) -> Rule? { rules[country.uppercased()] ?? fallback }

    /// The number as stored: without the hyphens and spaces people write it with.
    public static func normalised(_ number: String) -> String {
        String(number.filter { $0 != "-" && $0 != " " }).uppercased()
    }

    /// Nil when `number` is a valid company identifier for `country`, else what is wrong with it.
    public func problem(with number: String, country: String) -> String? {
        guard let rule = rule(for: country) else { return "employers of \(country.prefix(2)) cannot register here" }
        let normalised = Self.normalised(number)
        switch rule.scheme {
        case .japaneseCorporateNumber:
            return Self.isJapaneseCorporateNumber(normalised) ? nil : "must be a \(rule.name) with a valid check digit"
        case .koreanBusinessRegistration:
            return Self.isKoreanBusinessRegistrationNumber(normalised) ? nil : "must be a \(rule.name) with a valid check digit"
        case .format:
            return normalised.count <= 64 && rule.pattern?.occurs(in: normalised) == true ? nil : "must be a \(rule.name)"
        }
    }

    /// 13 digits; the first is the check digit: 9 − (Σ Pₙ·Qₙ mod 9) over the other twelve, Pₙ the n-th
    /// digit from the right and Qₙ 1 for odd n, 2 for even n (法人番号の指定等に関する省令 第2条).
    public static func isJapaneseCorporateNumber(_ number: String) -> Bool {
        let digits = number.compactMap(\.wholeNumberValue)
        guard number.count == 13, digits.count == 13, number.allSatisfy(\.isASCII) else { return false }
        let sum = digits.dropFirst().reversed().enumerated().reduce(0) { sum, item in sum + item.element * (item.offset % 2 == 0 ? 1 : 2) }
        return digits[0] == 9 - sum % 9
    }

    /// 10 digits; weights 1 3 7 1 3 7 1 3 5 on the first nine, plus ⌊5·d₉ / 10⌋; the tenth digit
    /// is (10 − sum mod 10) mod 10 (the National Tax Service's scheme).
    public static func isKoreanBusinessRegistrationNumber(_ number: String) -> Bool {
        let digits = number.compactMap(\.wholeNumberValue)
        guard number.count == 10, digits.count == 10, number.allSatisfy(\.isASCII) else { return false }
        let weights = [1, 3, 7, 1, 3, 7, 1, 3, 5]
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } + digits[8] * 5 / 10
        return digits[9] == (10 - sum % 10) % 10
    }

    public init(yaml: String) throws(UserConfigurationError) {
        struct Document: Decodable {
            struct Entry: Decodable {
                let scheme: Scheme
                let name: String
                let pattern: String?
            }
            let corporateNumbers: [String: Entry]
            enum CodingKeys: String, CodingKey { case corporateNumbers = "corporate_numbers" }
        }
        let document: Document
        do { document = try YAMLDecoder().decode(Document.self, from: yaml) } catch {
            throw UserConfigurationError(message: "employers file: \(error)")
        }
        var rules: [String: Rule] = [:]
        var fallback: Rule?
        for (country, entry) in document.corporateNumbers {
            var pattern: BoundedPattern?
            if entry.scheme == .format {
                guard let source = entry.pattern else { throw UserConfigurationError(message: "employers file: \(country) needs a pattern") }
                do { pattern = try BoundedPattern("^(?:" + source + ")$", caseInsensitive: false) } catch {
                    throw UserConfigurationError(message: "employers file: \(country): \(error)")
                }
            }
            let rule = Rule(scheme: entry.scheme, name: entry.name, pattern: pattern)
            if country == "default" { fallback = rule } else { rules[country.uppercased()] = rule }
        }
        self.rules = rules
        self.fallback = fallback
    }
}

/// A user-service configuration file that cannot be used.
public struct UserConfigurationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
