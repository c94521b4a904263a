public import Foundation
public import Hummingbird
internal import JobService
public import ServerKit
internal import Workforce

/// ai-agent: skill extraction from résumés and job ads, and job-ad compliance review. Runs in the
/// caller's home cell (the text may be personal data) and never calls out: it is deterministic and
/// offline.
public struct AgentRoutes: Sendable {
    let extractor: SkillExtractor
    let reviewer: JobAdReviewer
    let now: @Sendable () -> Date
    /// The longest text accepted, in characters.
    static let maxText = 50_000

    public init(extractor: SkillExtractor, reviewer: JobAdReviewer, now: @escaping @Sendable () -> Date = Date.init) {
        self.extractor = extractor
        self.reviewer = reviewer
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [
        (.post, "/api/v1/agent/skills"), (.post, "/api/v1/agent/review"),
    ]

    public func add(to router: Router<AppRequestContext>) {
        router.post("/api/v1/agent/skills") { request, context in try await skills(request, context) }
        router.post("/api/v1/agent/review") { request, context in try await review(request, context) }
    }

    struct SkillsRequest: Codable {
        let text: String
    }

    struct SkillsResponse: Encodable {
        let skills: [SkillExtractor.Finding]
    }

    struct ReviewResponse: Encodable {
        let findings: [JobAdReviewer.Finding]
        let reviewedOn: String
        let rulesAsOf: String

        enum CodingKeys: String, CodingKey {
            case findings
            case reviewedOn = "reviewed_on"
            case rulesAsOf = "rules_as_of"
        }
    }

    private func requireCaller(_ context: AppRequestContext) throws {
        guard context.principal != nil || context.clientID != nil else {
            throw Problem.unauthorized("this endpoint needs a bearer token")
        }
    }

    func skills(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try requireCaller(context)
        let body = try await StrictJSON.decode(SkillsRequest.self, from: request)
        guard !body.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, body.text.count <= Self.maxText else {
            throw Problem.validationFailed([.init(pointer: "/text", detail: "must be 1 to \(Self.maxText) characters")])
        }
        return try .json(SkillsResponse(skills: extractor.extract(from: body.text)), headers: [.cacheControl: "no-store"])
    }

    func review(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try requireCaller(context)
        let ad = try await StrictJSON.decode(JobContent.self, from: request)
        let errors = ad.validate()
        guard errors.isEmpty else { throw Problem.validationFailed(errors.problems) }
        return try .json(ReviewResponse(findings: reviewer.review(ad, on: Timestamps.day(now())), reviewedOn: Timestamps.day(now()),
                                        rulesAsOf: reviewer.rules.asOf),
                         headers: [.cacheControl: "no-store"])
    }
}
