public import Foundation
internal import Yams

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
        /// The rule or check id, e.g. `942100` or `path-traversal`.
        public let ruleID: String
        public let category: String
        public let detail: String
        public let score: Int
        /// Every rule that matched.
        public let matched: [String]
    }

    public struct Settings: Sendable, Decodable {
        public var paranoia = 1
        public var anomalyThreshold = 5
        public var maxURILength = 8192
        public var allowedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        public var allow: [String] = []
        public var deny: [String] = []

        enum CodingKeys: String, CodingKey {
            case paranoia, allow, deny
            case anomalyThreshold = "anomaly_threshold"
            case maxURILength = "max_uri_length"
            case allowedMethods = "allowed_methods"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            paranoia = try container.decodeIfPresent(Int.self, forKey: .paranoia) ?? 1
            anomalyThreshold = try container.decodeIfPresent(Int.self, forKey: .anomalyThreshold) ?? 5
            maxURILength = try container.decodeIfPresent(Int.self, forKey: .maxURILength) ?? 8192
            allowedMethods = Set(try container.decodeIfPresent([String].self, forKey: .allowedMethods) ?? Array(Settings().allowedMethods))
            allow = try container.decodeIfPresent([String].self, forKey: .allow) ?? []
            deny = try container.decodeIfPresent([String].self, forKey: .deny) ?? []
        }
    }

    public let settings: Settings
    public let rules: [FirewallRule]
    private let allow: [CIDR]
    private let deny: [CIDR]
    /// One alternation of every rule's pattern per target: a benign input is cleared by a single
    /// regex pass instead of one per rule; only inputs it matches are checked rule by rule.
    private let screens: [FirewallRule.Target: NSRegularExpression]

    public init(settings: Settings = .init(), rules: [FirewallRule]) throws {
        self.settings = settings
        self.rules = rules.filter { $0.paranoia <= settings.paranoia }
        var screens: [FirewallRule.Target: NSRegularExpression] = [:]
        for target in [FirewallRule.Target.path, .query, .body, .userAgent, .headers] {
            let patterns = self.rules.filter { $0.targets.contains(target) }.map { "(?:\($0.pattern))" }
            guard !patterns.isEmpty else { continue }
            screens[target] = try? NSRegularExpression(pattern: patterns.joined(separator: "|"), options: [.caseInsensitive])
        }
        self.screens = screens
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
        if let ip = request.clientIP.flatMap(IPAddress.init) {
            if allow.contains(where: { $0.contains(ip) }) { return nil }
            if deny.contains(where: { $0.contains(ip) }) {
                return Verdict(ruleID: "ip-deny", category: "access", detail: "the client address is denied", score: 0, matched: ["ip-deny"])
            }
        }
        guard settings.allowedMethods.contains(request.method) else {
            return Verdict(ruleID: "method", category: "protocol", detail: "method \(request.method.prefix(16)) is not allowed", score: 0, matched: ["method"])
        }
        guard request.rawPath.utf8.count + (request.rawQuery?.utf8.count ?? 0) <= settings.maxURILength else {
            return Verdict(ruleID: "uri-length", category: "protocol", detail: "the request URI is too long", score: 0, matched: ["uri-length"])
        }
        if let problem = pathProblem(request.rawPath) {
            return Verdict(ruleID: problem, category: "protocol", detail: "the path is not in normal form (\(problem))", score: 0, matched: [problem])
        }
        let path = request.rawPath.removingPercentEncoding ?? request.rawPath
        let query = request.rawQuery.map { ($0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? $0) }
        let userAgent = request.headers.first { $0.name.lowercased() == "user-agent" }?.value ?? ""
        let headerText = request.headers.filter { ["referer", "x-forwarded-host", "origin", "cookie"].contains($0.name.lowercased()) }
            .map(\.value).joined(separator: "\n")
        let body = request.body.map { String(decoding: $0.prefix(64 * 1024), as: UTF8.self) }.map(Self.unescapeJSON)
        let inputs: [FirewallRule.Target: String] = [
            .path: path, .query: query ?? "", .body: body ?? "", .userAgent: userAgent, .headers: headerText,
        ]
        let suspicious = Set(inputs.compactMap { target, text -> FirewallRule.Target? in
            guard !text.isEmpty else { return nil }
            guard let screen = screens[target] else { return target }
            return screen.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil ? nil : target
        })
        guard !suspicious.isEmpty else { return nil }
        var score = 0
        var matched: [FirewallRule] = []
        for rule in rules where rule.applies(to: path) {
            let hit = rule.targets.contains { target in
                guard suspicious.contains(target), let text = inputs[target] else { return false }
                return rule.matches(text)
            }
            if hit {
                score += rule.score
                matched.append(rule)
            }
        }
        guard score >= settings.anomalyThreshold, let top = matched.max(by: { $0.score < $1.score }) else { return nil }
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

    /// JSON escapes such as `\u003c` would hide `<` from the signatures.
    static func unescapeJSON(_ text: String) -> String {
        guard text.contains("\\u") || text.contains("\\/") else { return text }
        var result = ""
        var iterator = Array(text.unicodeScalars)[...]
        while let scalar = iterator.popFirst() {
            if scalar == "\\", let next = iterator.first {
                if next == "u", iterator.count >= 5, let value = UInt32(String(String.UnicodeScalarView(iterator.dropFirst().prefix(4))), radix: 16),
                   let decoded = Unicode.Scalar(value) {
                    result.unicodeScalars.append(decoded)
                    iterator = iterator.dropFirst(5)
                    continue
                }
                if next == "/" { result.append("/"); iterator = iterator.dropFirst(); continue }
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

public struct FirewallConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
