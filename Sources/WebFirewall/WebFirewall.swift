public import Foundation
internal import Yams
internal import TextMatching

/// The gateway's first step: request-shape limits, path normalisation checks, IP allow/deny lists,
/// and signature rules with anomaly scoring. Rules are data (`config/waf-rules.yaml`), each with an id
/// reported in the refusal.
public struct WebFirewall: Sendable {
    /// What the firewall inspects.
    public struct Request: Sendable {
        public var method: String
        /// The raw (still percent-encoded) path.
        public var rawPath: String
        public var rawQuery: String?
        public var headers: [(name: String, value: String)]
        public var body: Data?
        public var clientIP: String?

        var contentType: String? { headers.first { $0.name.lowercased() == "content-type" }?.value }

        public init(method: String, rawPath: String, rawQuery: String?, headers: [(name: String, value: String)], body: Data?, clientIP: String?) {
            self.method = method
            self.rawPath = rawPath
            self.rawQuery = rawQuery
            self.headers = headers
            self.body = body
            self.clientIP = clientIP
        }
    }

    /// Why a request is refused.
    public struct Verdict: Sendable, Equatable {
        /// What kind of refusal: an attack signature or policy (403), or a request that cannot be
        /// decoded (400).
        public enum Kind: Sendable, Equatable {
            case blocked, malformed
            /// A method outside `allowed_methods` (405).
            case unsupportedMethod
        }

        /// The rule or check id, e.g. `942100` or `path-traversal`.
        public let ruleID: String
        public let category: String
        public let detail: String
        public let score: Int
        /// Every rule that matched.
        public let matched: [String]
        public var kind: Kind = .blocked
    }

    public struct Settings: Sendable, Decodable {
        public var paranoia = 1
        public var anomalyThreshold = 5
        public var maxURILength = 8192
        /// Bytes of each part screened at most; a longer part is refused, never passed unscreened.
        public var maxScreenBytes = 64 * 1024
        public var allowedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        public var allow: [String] = []
        public var deny: [String] = []

        enum CodingKeys: String, CodingKey {
            case paranoia, allow, deny
            case anomalyThreshold = "anomaly_threshold"
            case maxURILength = "max_uri_length"
            case maxScreenBytes = "max_screen_bytes"
            case allowedMethods = "allowed_methods"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            paranoia = try container.decodeIfPresent(Int.self, forKey: .paranoia) ?? 1
            anomalyThreshold = try container.decodeIfPresent(Int.self, forKey: .anomalyThreshold) ?? 5
            maxURILength = try container.decodeIfPresent(Int.self, forKey: .maxURILength) ?? 8192
            maxScreenBytes = try container.decodeIfPresent(Int.self, forKey: .maxScreenBytes) ?? 64 * 1024
            allowedMethods = Set(try container.decodeIfPresent([String].self, forKey: .allowedMethods) ?? Array(Settings().allowedMethods))
            allow = try container.decodeIfPresent([String].self, forKey: .allow) ?? []
            deny = try container.decodeIfPresent([String].self, forKey: .deny) ?? []
        }
    }

    public let settings: Settings
    public let rules: [FirewallRule]
    private let allow: [CIDR]
    private let deny: [CIDR]
    /// Every rule's keywords in one automaton; `rulesOfKeyword[t][k]` are the rules keyword `k`
    /// belongs to that screen target `t` (by its position): read for every keyword found.
    private let prefilter: KeywordAutomaton
    private let rulesOfKeyword: [[[Int]]]
    /// Rules without keywords, evaluated on every input of their targets.
    private let unconditional: [Int]
    /// The longest keyword, in scalars (how far before its end a match may start).
    private let longestKeyword: Int
    /// Per rule, read for every keyword hit: whether it wants whole words.
    private let ruleWantsWholeWords: [Bool]
    /// Per rule, whether every match begins with one of its keywords (tried only where they start).
    let ruleIsAnchored: [Bool]
    /// Each keyword's length in UTF-8 bytes.
    private let keywordLengths: [Int]
    /// The keyword that is a line break, if a rule has it: not woken by the breaks that join lines.
    private let lineBreakKeyword: Int?

    public init(settings: Settings = .init(), rules: [FirewallRule]) throws {
        guard settings.maxScreenBytes > 0 else { throw FirewallConfigurationError("max_screen_bytes must be positive") }
        self.settings = settings
        let loaded = rules.filter { $0.paranoia <= settings.paranoia }
        self.rules = loaded
        var keywords: [String] = [], rulesOfKeyword: [[Int]] = []
        var indexOfKeyword: [String: Int] = [:]
        for (ruleIndex, rule) in loaded.enumerated() {
            for keyword in rule.keywords {
                let key = keyword.lowercased()
                if let existing = indexOfKeyword[key] {
                    rulesOfKeyword[existing].append(ruleIndex)
                } else {
                    indexOfKeyword[key] = keywords.count
                    keywords.append(key)
                    rulesOfKeyword.append([ruleIndex])
                }
            }
        }
        prefilter = KeywordAutomaton(keywords: keywords)
        lineBreakKeyword = indexOfKeyword["\n"]
        keywordLengths = keywords.map(\.utf8.count)
        ruleIsAnchored = loaded.map { !$0.keywords.isEmpty && $0.pattern.everyMatchBegins(withOneOf: $0.keywords) }
        longestKeyword = keywords.map(\.unicodeScalars.count).max() ?? 0
        self.rulesOfKeyword = FirewallRule.Target.allCases.map { target in
            rulesOfKeyword.map { rules in rules.filter { loaded[$0].targets.contains(target) } }
        }
        unconditional = loaded.indices.filter { loaded[$0].keywords.isEmpty }
        ruleWantsWholeWords = loaded.map(\.wholeWords)
        self.allow = try settings.allow.map { entry in
            guard let cidr = CIDR(entry) else { throw FirewallConfigurationError("allow: '\(entry)' is not an IP or CIDR") }
            return cidr
        }
        self.deny = try settings.deny.map { entry in
            guard let cidr = CIDR(entry) else { throw FirewallConfigurationError("deny: '\(entry)' is not an IP or CIDR") }
            return cidr
        }
    }

    /// Parses `waf-rules.yaml`.
    public init(yaml: String) throws {
        struct Document: Decodable {
            let settings: Settings?
            let rules: [FirewallRule]
        }
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw FirewallConfigurationError("waf rules file: \(error)")
        }
        try self.init(settings: document.settings ?? .init(), rules: document.rules)
    }

    /// Nil when the request may pass.
    public func inspect(_ request: Request) -> Verdict? {
        // Parsing the address costs more than the rest of a clean GET's screen: only with lists to check.
        if !allow.isEmpty || !deny.isEmpty, let ip = request.clientIP.flatMap(IPAddress.init) {
            if allow.contains(where: { $0.contains(ip) }) { return nil }
            if deny.contains(where: { $0.contains(ip) }) {
                return Verdict(ruleID: "ip-deny", category: "access", detail: "the client address is denied", score: 0, matched: ["ip-deny"])
            }
        }
        guard settings.allowedMethods.contains(request.method) else {
            return Verdict(ruleID: "method", category: "protocol", detail: "method \(request.method.prefix(16)) is not allowed", score: 0,
                           matched: ["method"], kind: .unsupportedMethod)
        }
        guard request.rawPath.utf8.count + (request.rawQuery?.utf8.count ?? 0) <= settings.maxURILength else {
            return Verdict(ruleID: "uri-length", category: "protocol", detail: "the request URI is too long", score: 0, matched: ["uri-length"])
        }
        if let problem = pathProblem(request.rawPath) {
            return Verdict(ruleID: problem, category: "protocol", detail: "the path is not in normal form (\(problem))", score: 0, matched: [problem])
        }
        let screened: ScreenedRequest
        do {
            screened = try ScreenedRequest(request, maximumBytes: settings.maxScreenBytes)
        } catch {
            switch error {
            case .malformed(let reason):
                return Verdict(ruleID: "invalid-encoding", category: "protocol", detail: reason, score: 0, matched: ["invalid-encoding"], kind: .malformed)
            case .tooLarge(let part):
                return Verdict(ruleID: "screen-limit", category: "protocol",
                               detail: "the \(part) is longer than the \(settings.maxScreenBytes) bytes the firewall screens",
                               score: settings.anomalyThreshold, matched: ["screen-limit"])
            }
        }
        return signatures(screened)
    }

    /// Scores the signature rules whose keywords occur in their targets.
    private func signatures(_ screened: ScreenedRequest) -> Verdict? {
        let path = screened.parts[.path] ?? ""
        var hit = [Bool](repeating: false, count: rules.count)
        var places = [[Int]](repeating: [], count: rules.count)
        for target in FirewallRule.Target.allCases {
            guard let text = screened.parts[target], !text.isEmpty else { continue }
            // Per candidate rule, where its keywords are: where they end, to search around, or for a rule
            // every match of which begins with a keyword, where they start, to try once at each. A
            // whole-word rule wakes only where a keyword stands alone, and bounds its keywords by `\b`
            // or punctuation, so a match of it also begins only where one stands alone.
            var woken: [Int] = []
            let joins = screened.joins[target] ?? []
            var nextJoin = 0
            let rulesOfKeyword = rulesOfKeyword[target.position]
            prefilter.scanHits(text) { keyword, end, standsAlone in
                if keyword == lineBreakKeyword {
                    // Hits arrive in text order, and so do the joins.
                    while nextJoin < joins.count, joins[nextJoin] < end - 1 { nextJoin += 1 }
                    if nextJoin < joins.count, joins[nextJoin] == end - 1 { return }
                }
                for ruleIndex in rulesOfKeyword[keyword] where (standsAlone || !ruleWantsWholeWords[ruleIndex]) && !hit[ruleIndex] {
                    if places[ruleIndex].isEmpty { woken.append(ruleIndex) }
                    places[ruleIndex].append(ruleIsAnchored[ruleIndex] ? end - keywordLengths[keyword] : end)
                }
            }
            let candidates = unconditional.filter { !hit[$0] && rules[$0].targets.contains(target) }
            guard !woken.isEmpty || !candidates.isEmpty else { continue }
            let windowed = WindowedText(text)
            for ruleIndex in candidates where rules[ruleIndex].applies(to: path) && windowed.contains(rules[ruleIndex].pattern) {
                hit[ruleIndex] = true
            }
            for ruleIndex in woken {
                let offsets = places[ruleIndex]
                places[ruleIndex] = []
                // Read in place: a copy of the rule retains and releases each of its fields.
                guard rules[ruleIndex].skipPaths.isEmpty || rules[ruleIndex].applies(to: path) else { continue }
                let found = ruleIsAnchored[ruleIndex] ? windowed.contains(rules[ruleIndex].pattern, keywordStarts: offsets)
                    : windowed.contains(rules[ruleIndex].pattern, keywordEnds: offsets, keywordLength: longestKeyword)
                if found { hit[ruleIndex] = true }
            }
        }
        // In file order, so the rule reported is the same for the same request.
        let matched = rules.indices.filter { hit[$0] }.map { rules[$0] }
        let score = matched.reduce(0) { $0 + $1.score }
        guard score >= settings.anomalyThreshold, let top = matched.first(where: { $0.score == matched.map(\.score).max() }) else { return nil }
        return Verdict(ruleID: top.id, category: top.category, detail: top.description, score: score, matched: matched.map(\.id))
    }

    /// Encoded slashes, dot segments, NUL and backslashes: ways to reach another route than the one the path names.
    func pathProblem(_ raw: String) -> String? {
        // One pass over the bytes: this runs on every request.
        let bytes = Array(raw.utf8)
        var hasEscape = false, hasEmptySegment = false
        var previous: UInt8 = 0
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "\\"): return "encoded-slash"
            case 0: return "null-byte"
            case UInt8(ascii: "%"):
                hasEscape = true
                guard index + 2 < bytes.count else { break }
                switch (bytes[index + 1] | 0x20, bytes[index + 2] | 0x20) {
                case (UInt8(ascii: "2"), UInt8(ascii: "f")), (UInt8(ascii: "5"), UInt8(ascii: "c")): return "encoded-slash"
                case (UInt8(ascii: "0"), UInt8(ascii: "0")): return "null-byte"
                case (UInt8(ascii: "2"), UInt8(ascii: "5")): return "double-encoding"
                default: break
                }
            case UInt8(ascii: "/") where previous == UInt8(ascii: "/"):
                hasEmptySegment = true
            default: break
            }
            previous = byte
        }
        if Self.hasDotSegment(hasEscape ? Array((raw.removingPercentEncoding ?? raw).utf8) : bytes) { return "path-traversal" }
        return hasEmptySegment ? "empty-segment" : nil
    }

    /// Whether a `.` or `..` segment appears.
    private static func hasDotSegment(_ path: [UInt8]) -> Bool {
        path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).contains { segment in
            segment.count <= 2 && !segment.isEmpty && segment.allSatisfy { $0 == UInt8(ascii: ".") }
        }
    }
}

public struct FirewallConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
