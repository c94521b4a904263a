public import AsyncHTTPClient
public import Foundation
internal import NIOCore
internal import NIOFoundationCompat
internal import NIOHTTP1

/// A model behind the OpenAI chat-completions API (`POST {endpoint}/chat/completions`), which many
/// providers and local servers speak.
public struct OpenAICompatibleModel: LanguageModel {
    let settings: LanguageModelSettings
    let apiKey: String?
    let client: HTTPClient

    /// The API key is read from the environment variable the settings name.
    public init(settings: LanguageModelSettings, client: HTTPClient = .shared,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.settings = settings
        self.apiKey = settings.apiKeyVariable.flatMap { environment[$0] }
        self.client = client
    }

    public var name: String { settings.model }
    public var processingJurisdiction: String { settings.processingJurisdiction }

    struct ChatRequest: Encodable {
        struct Message: Codable {
            let role: String
            let content: String
        }

        let model: String
        let messages: [Message]
        let temperature: Double
        let maxTokens: Int

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
        }
    }

    struct ChatResponse: Decodable {
        struct Choice: Decodable {
            let message: ChatRequest.Message
        }

        let choices: [Choice]
    }

    public func complete(system: String, user: String) async throws -> String {
        var request = HTTPClientRequest(url: settings.endpoint.appendingPathComponent("chat/completions").absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        let body = ChatRequest(model: settings.model, messages: [.init(role: "system", content: system), .init(role: "user", content: user)],
                               temperature: 0.2, maxTokens: settings.maxTokens)
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(Int64(settings.timeoutSeconds)))
        } catch {
            throw LanguageModelError("the language model at \(settings.endpoint.host ?? "?") did not answer (\(type(of: error)))")
        }
        let bytes = try await response.body.collect(upTo: 1024 * 1024)
        guard response.status == .ok else {
            throw LanguageModelError("the language model answered HTTP \(response.status.code)")
        }
        guard let answer = try? JSONDecoder().decode(ChatResponse.self, from: bytes), let text = answer.choices.first?.message.content,
              !text.isEmpty else {
            throw LanguageModelError("the language model's answer is not a chat completion")
        }
        return text
    }
}
