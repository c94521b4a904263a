import Benchmark
import Foundation
import WebFirewall

// What the firewall costs and what it catches, in release:
//   cd Benchmarks && swift package benchmark --target FirewallScreen
// The tool starts this executable once per benchmark, so the slow reports run only when asked:
//   IWORKZ_WAF_LINEARITY=1   screening time of pathological bodies of 4 KiB and 60 KiB, per rule and
//                            for the whole screen (linear time gives a ratio of about 15);
//   IWORKZ_CRS_CORPUS=file   detection on the OWASP CRS regression cases re-aimed at the platform's
//                            surface (the file written by scripts/crs-regression-corpus.py).

let rulesFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/waf-rules.yaml")
let firewall = try! WebFirewall(yaml: String(contentsOf: rulesFile, encoding: .utf8))

func get(_ query: String) -> WebFirewall.Request {
    .init(method: "GET", rawPath: "/api/v1/jobs", rawQuery: query,
          headers: [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"),
                    ("Accept", "application/json"), ("Accept-Language", "ja,en;q=0.8")],
          body: nil, clientIP: "203.0.113.7")
}

func post(_ body: String, path: String = "/api/v1/users/me") -> WebFirewall.Request {
    .init(method: "PATCH", rawPath: path, rawQuery: nil,
          headers: [("User-Agent", "Mozilla/5.0"), ("Content-Type", "application/json")], body: Data(body.utf8), clientIP: "203.0.113.7")
}

/// A worker's profile of about 4 KiB: English, Japanese and Korean prose with skills, SQL and shell words.
let cleanProfile: String = {
    let prose = [
        "Backend engineer, 6 years. Languages: Swift, Go, Python 3.11; SQL (PostgreSQL, MySQL): joins, indexes, select and update statements; ",
        "shell: bash, grep, awk; Docker & Kubernetes; CI with GitHub Actions. Led a team of 5; O'Brien & Partners (2019-2022). ",
        "日本語能力試験N2、東京で3年間勤務。溶接と検査の経験があります。夜勤も可能です。",
        "한국에서 5년 동안 근무했습니다. 지게차 면허 보유, 성실하고 책임감이 강합니다. ",
        "Desired salary ¥300,000/month; available from April; Tokyo / Osaka / Fukuoka. ",
    ]
    var bio = ""
    while bio.utf8.count < 3900 { bio += prose[bio.utf8.count % prose.count] }
    let object: [String: Any] = ["display_name": "Seán O'Brien", "profile": ["bio": bio, "skills": ["welding", "sql", "bash"]]]
    return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}()

/// Inputs that make a backtracking engine work hardest on a rule: long runs of one character, of a
/// keyword, and of a keyword followed by filler.
func pathologicalInputs(for rule: FirewallRule, length: Int) -> [String] {
    var units = [" ", "<", "'", "\"", "a", "0", "(", "$", "{", ";", "%", "/", ".", "-", "\\", "&", "|", "=", "#", "*", "@", ":", "\n", "<a "]
    for keyword in rule.keywords.prefix(4) {
        units += [keyword, keyword + " ", keyword + "a"]
    }
    return units.map { unit in String(String(repeating: unit, count: length / max(1, unit.utf8.count) + 1).utf8.prefix(length))! }
}

/// Seconds one call of `short` and one call of `long` take: batches of each, repeated until a batch
/// lasts 5 ms so that short calls are not lost in the clock's resolution, measured alternately (a slow
/// spell of the machine falls on both sizes, not on one), and the fastest of 9 batches kept: the
/// screen is deterministic work, so any batch slower than the fastest was slowed by something else.
func seconds(_ short: () -> Void, _ long: () -> Void) -> (short: Double, long: Double) {
    func elapsed(_ start: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    func repetitions(_ body: () -> Void) -> Int {
        var count = 1
        while true {
            let start = ContinuousClock.now
            for _ in 0..<count { body() }
            if elapsed(start) >= 0.005 || count >= 1 << 16 { return count }
            count *= 2
        }
    }
    let (shortCount, longCount) = (repetitions(short), repetitions(long))
    var fastest = (short: Double.infinity, long: Double.infinity)
    for _ in 0..<9 {
        var start = ContinuousClock.now
        for _ in 0..<shortCount { short() }
        fastest.short = min(fastest.short, elapsed(start) / Double(shortCount))
        start = ContinuousClock.now
        for _ in 0..<longCount { long() }
        fastest.long = min(fastest.long, elapsed(start) / Double(longCount))
    }
    return fastest
}

/// Worst 64 KiB / 4 KiB time ratio per rule and for the whole screen: a JSON body whose text is a
/// pathological run (60 KiB at most, the most a body may be screened over once its JSON is around
/// it, so linear time gives about 15), screened by a firewall that holds the one rule, as a request
/// meets it: decoded, scanned for the rule's keywords, and the rule evaluated where the firewall
/// evaluates it (at each keyword, or in windows around them).
func printLinearity() {
    func body(_ text: String) -> String {
        #"{"bio":""# + text.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\\", with: "/") + #""}"#
    }
    var rows: [(String, Double, Double, Double)] = []
    for rule in firewall.rules {
        let single = try! WebFirewall(settings: firewall.settings, rules: [rule])
        var worst = (ratio: 0.0, small: 0.0, large: 0.0)
        for (small, large) in zip(pathologicalInputs(for: rule, length: 4096), pathologicalInputs(for: rule, length: 60 * 1024)) {
            let (smallRequest, largeRequest) = (post(body(small)), post(body(large)))
            let (short, long) = seconds({ _ = single.inspect(smallRequest) }, { _ = single.inspect(largeRequest) })
            if long / short > worst.ratio { worst = (long / short, short, long) }
        }
        rows.append((rule.id, worst.ratio, worst.small, worst.large))
    }
    print("rule      worst 60K/4K   4 KiB µs   60 KiB µs")
    for row in rows.sorted(by: { $0.1 > $1.1 }) {
        print(row.0.padding(toLength: 12, withPad: " ", startingAt: 0), String(format: "%9.1f %12.1f %11.1f", row.1, row.2 * 1e6, row.3 * 1e6))
    }
    var whole = (ratio: 0.0, unit: "")
    for (small, large) in zip(pathologicalInputs(for: firewall.rules[0], length: 4096), pathologicalInputs(for: firewall.rules[0], length: 60 * 1024)) {
        let (smallRequest, largeRequest) = (post(body(small)), post(body(large)))
        let (short, long) = seconds({ _ = firewall.inspect(smallRequest) }, { _ = firewall.inspect(largeRequest) })
        if long / short > whole.ratio { whole = (long / short, String(small.prefix(3))) }
    }
    print("whole screen, JSON body: worst 60K/4K ratio \(String(format: "%.1f", whole.ratio)) (run of \(whole.unit.debugDescription))")
}

/// Detection on the CRS regression cases, by family.
func printCRSDetection() {
    guard let path = ProcessInfo.processInfo.environment["IWORKZ_CRS_CORPUS"],
          let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
    struct Case: Decodable { let family: String; let method: String; let path: String; let query: String?; let body: String? }
    var byFamily: [String: (blocked: Int, all: Int)] = [:]
    for line in text.split(separator: "\n") {
        guard let item = try? JSONDecoder().decode(Case.self, from: Data(line.utf8)) else { continue }
        let request = WebFirewall.Request(method: item.method, rawPath: item.path, rawQuery: item.query,
                                          headers: [("Content-Type", "application/json")], body: item.body.map { Data($0.utf8) }, clientIP: nil)
        var entry = byFamily[item.family] ?? (0, 0)
        entry.all += 1
        if firewall.inspect(request) != nil { entry.blocked += 1 }
        byFamily[item.family] = entry
    }
    for (family, entry) in byFamily.sorted(by: { $0.key < $1.key }) {
        print("CRS \(family): \(entry.blocked)/\(entry.all) = \(String(format: "%.1f", Double(entry.blocked) * 100 / Double(entry.all)))%")
    }
    let total = byFamily.values.reduce((0, 0)) { ($0.0 + $1.blocked, $0.1 + $1.all) }
    print("CRS paranoia-1 regression cases: \(total.0)/\(total.1) = \(String(format: "%.1f", Double(total.0) * 100 / Double(total.1)))%")
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2))
    if ProcessInfo.processInfo.environment["IWORKZ_WAF_LINEARITY"] != nil { printLinearity() }
    printCRSDetection()

    let cleanGet = get("q=welder&prefecture=Osaka&limit=20")
    precondition(firewall.inspect(cleanGet) == nil)
    Benchmark("screen clean GET /api/v1/jobs?q=welder") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(firewall.inspect(cleanGet)) }
    }
    let profile = post(cleanProfile)
    precondition(firewall.inspect(profile) == nil, "the clean profile must pass")
    Benchmark("screen clean 4 KiB JSON profile") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(firewall.inspect(profile)) }
    }
    for size in [4096, 60 * 1024] {
        let runOfQuotes = post(#"{"bio":""# + String(repeating: "' or ", count: size / 5) + #""}"#)
        Benchmark("screen \(size / 1024) KiB of \"' or \" (whole screen)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(firewall.inspect(runOfQuotes)) }
        }
        let runOfTags = post(#"{"bio":""# + String(repeating: "<", count: size) + #""}"#)
        Benchmark("screen \(size / 1024) KiB of \"<\" (whole screen)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(firewall.inspect(runOfTags)) }
        }
    }
}
