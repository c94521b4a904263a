/// A large language model the ai-agent may call for summaries: the seam between the agent and a
/// provider (an OpenAI-compatible HTTP API here).
public protocol LanguageModel: Sendable {
    /// The model's name, shown with each answer it produced.
    var name: String { get }
    /// The jurisdiction where the provider processes what it is sent: sending personal data there is
    /// a transfer unless it is the caller's own.
    var processingJurisdiction: String { get }
    /// The model's answer to a system instruction and a user message.
    func complete(system: String, user: String) async throws -> String
}

/// A model call that did not produce an answer.
public struct LanguageModelError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
