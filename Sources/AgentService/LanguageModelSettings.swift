public import Foundation
internal import Yams

/// `config/agent.yaml`: the optional language model. Without an `llm` section the agent is
/// deterministic and offline.
public struct LanguageModelSettings: Sendable, Equatable {
    /// The API's base URL, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended.
    public let endpoint: URL
    public let model: String
    /// Where the provider processes requests (a jurisdiction code of transfer-rules.yaml).
    public let processingJurisdiction: String
    /// The environment variable holding the API key (never the key itself in a file).
    public let apiKeyVariable: String?
    public let timeoutSeconds: Int
    public let maxTokens: Int

    public init(endpoint: URL, model: String, processingJurisdiction: String, apiKeyVariable: String? = nil, timeoutSeconds: Int = 20,
                maxTokens: Int = 400) {
        self.endpoint = endpoint
        self.model = model
        self.processingJurisdiction = processingJurisdiction.uppercased()
        self.apiKeyVariable = apiKeyVariable
        self.timeoutSeconds = timeoutSeconds
        self.maxTokens = maxTokens
    }

    /// The `llm` section of agent.yaml, or nil when there is none.
    public static func parse(yaml: String) throws(AgentConfigurationError) -> LanguageModelSettings? {
        struct File: Decodable {
            struct LLM: Decodable {
                let endpoint: String
                let model: String
                let processing_jurisdiction: String
                let api_key_env: String?
                let timeout_seconds: Int?
                let max_tokens: Int?
            }
            let llm: LLM?
        }
        let file: File
        do {
            // A file of comments only (the shipped default) configures nothing.
            guard try Yams.load(yaml: yaml) != nil else { return nil }
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch {
            throw AgentConfigurationError("agent.yaml: \(error)")
        }
        guard let llm = file.llm else { return nil }
        guard let url = URL(string: llm.endpoint), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw AgentConfigurationError("agent.yaml: llm.endpoint must be an http(s) URL")
        }
        guard !llm.model.isEmpty, llm.processing_jurisdiction.count >= 2 else {
            throw AgentConfigurationError("agent.yaml: llm.model and llm.processing_jurisdiction are required")
        }
        let timeout = llm.timeout_seconds ?? 20, tokens = llm.max_tokens ?? 400
        guard (1...300).contains(timeout), (16...4096).contains(tokens) else {
            throw AgentConfigurationError("agent.yaml: llm.timeout_seconds must be 1–300 and llm.max_tokens 16–4096")
        }
        return LanguageModelSettings(endpoint: url, model: llm.model, processingJurisdiction: llm.processing_jurisdiction,
                                     apiKeyVariable: llm.api_key_env, timeoutSeconds: timeout, maxTokens: tokens)
    }
}

public struct AgentConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
