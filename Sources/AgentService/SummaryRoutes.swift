public import Foundation
public import Hummingbird
public import ServerKit
internal import Logging
internal import Sovereignty

/// `POST /api/v1/agent/summary`: a short summary of a résumé or job ad. The deterministic summary
/// always works offline; when a language model is configured it writes the summary instead — for a
/// résumé (personal data) only after the home cell's transfer gate allows sending it to where the
/// model processes it, unless that is the caller's own jurisdiction.
public struct SummaryRoutes: Sendable {
    let cell: CellIdentity
    let summarizer: Summarizer
    let model: (any LanguageModel)?
    let gate: any PersonalDataTransferGate
    static let purpose = "ai-summary"

    public init(cell: CellIdentity, summarizer: Summarizer, model: (any LanguageModel)?, gate: any PersonalDataTransferGate) {
        self.cell = cell
        self.summarizer = summarizer
        self.model = model
        self.gate = gate
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [(.post, "/api/v1/agent/summary")]

    public func add(to router: Router<AppRequestContext>) {
        router.post("/api/v1/agent/summary") { request, context in try await summary(request, context) }
    }

    struct SummaryRequest: Codable {
        enum Kind: String, Codable {
            case resume
            case jobAd = "job_ad"
        }

        let kind: Kind
        let text: String
    }

    struct SummaryResponse: Encodable {
        let summary: String
        /// `deterministic`, or `llm:<model>`.
        let source: String
    }

    static let instruction = """
        Summarise the text for a job-matching platform in at most three sentences, in the language of the \
        text. Keep skills, qualifications, languages and experience; leave out names, contact details and \
        anything else that identifies a person.
        """

    func summary(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard context.principal != nil || context.clientID != nil else { throw Problem.unauthorized("this endpoint needs a bearer token") }
        let body = try await StrictJSON.decode(SummaryRequest.self, from: request)
        guard !body.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, body.text.count <= AgentRoutes.maxText else {
            throw Problem.validationFailed([.init(pointer: "/text", detail: "must be 1 to \(AgentRoutes.maxText) characters")])
        }
        guard let model else {
            return try .json(SummaryResponse(summary: summarizer.summarize(body.text), source: "deterministic"), headers: [.cacheControl: "no-store"])
        }
        // A worker's text is treated as their résumé whatever the kind says: personal data, decided in
        // their home cell. Only a job ad of an employer (or client) goes out without a decision.
        if body.kind == .resume || context.principal?.role == .worker {
            let principal = try context.requirePrincipal()
            guard principal.role == .worker else {
                throw Problem.forbidden("a résumé is sent to the language model only by the person it describes")
            }
            try cell.requireHome(principal.userID)
            if model.processingJurisdiction != cell.region.jurisdiction.code {
                let decision = try await gate.authorize(person: principal.userID, destination: model.processingJurisdiction, purpose: Self.purpose)
                guard decision.allowed else {
                    throw Problem("transfer-not-permitted", status: .forbidden, title: "The text cannot be sent to the language model",
                                  detail: decision.detail)
                }
            }
        }
        let text: String
        do {
            text = try await model.complete(system: Self.instruction, user: body.text)
        } catch {
            context.logger.warning("language model failed", metadata: ["error": "\(error)"])
            throw Problem("model-unavailable", status: .badGateway, title: "The language model did not answer",
                          detail: "\(error); the deterministic summary is available without a model configured")
        }
        return try .json(SummaryResponse(summary: text, source: "llm:\(model.name)"), headers: [.cacheControl: "no-store"])
    }
}
