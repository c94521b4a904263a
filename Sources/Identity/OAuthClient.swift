public import Foundation
internal import Yams
internal import ServerKit

/// A registered OAuth client: a public client (browser or app, PKCE, no secret) or a confidential one
/// (a partner system holding a secret).
public struct OAuthClient: Sendable, Hashable {
    public enum Kind: String, Sendable, Decodable {
        case `public`, confidential
    }

    public let id: String
    public let kind: Kind
    public let redirectURIs: [String]
    public let grantTypes: Set<String>
    public let scopes: Set<String>
    /// The secret of a confidential client (compared in constant time).
    let secret: String?

    public init(id: String, kind: Kind, redirectURIs: [String] = [], grantTypes: Set<String>, scopes: Set<String>, secret: String? = nil) {
        self.id = id
        self.kind = kind
        self.redirectURIs = redirectURIs
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.secret = secret
    }

    /// Whether the presented secret is this client's, without an early exit that leaks its length or prefix.
    func authenticates(secret presented: String?) -> Bool {
        guard let secret, let presented else { return false }
        let a = Array(secret.utf8), b = Array(presented.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<min(a.count, b.count) { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// The clients from `config/oauth-clients.yaml`. Confidential clients' secrets are never in the file:
/// each names a file under `<data>/keys/clients/`, generated on first start.
public struct OAuthClientRegistry: Sendable {
    public let clients: [String: OAuthClient]

    public init(clients: [OAuthClient]) {
        self.clients = Dictionary(clients.map { ($0.id, $0) }) { first, _ in first }
    }

    public func client(_ id: String) -> OAuthClient? { clients[id] }

    /// Parses the clients file, reading or creating each confidential client's secret in `secretsDirectory`.
    public init(yaml: String, secretsDirectory: URL) throws {
        struct Document: Decodable {
            struct Entry: Decodable {
                let clientID: String
                let type: OAuthClient.Kind
                let redirectURIs: [String]?
                let grantTypes: [String]
                let scopes: [String]

                enum CodingKeys: String, CodingKey {
                    case type, scopes
                    case clientID = "client_id"
                    case redirectURIs = "redirect_uris"
                    case grantTypes = "grant_types"
                }
            }

            let clients: [Entry]
        }
        let document = try YAMLDecoder().decode(Document.self, from: yaml)
        try FileManager.default.createDirectory(at: secretsDirectory, withIntermediateDirectories: true)
        var clients: [OAuthClient] = []
        for entry in document.clients {
            var secret: String?
            if entry.type == .confidential {
                let file = secretsDirectory.appendingPathComponent("\(entry.clientID).secret")
                if let existing = try? String(contentsOf: file, encoding: .utf8) {
                    secret = existing.trimmingCharacters(in: .whitespacesAndNewlines)
                } else {
                    let generated = RandomToken.make(bytes: 32)
                    guard FileManager.default.createFile(atPath: file.path, contents: Data(generated.utf8),
                                                         attributes: [.posixPermissions: 0o600]) else {
                        throw CocoaError(.fileWriteUnknown)
                    }
                    secret = generated
                }
            }
            clients.append(OAuthClient(id: entry.clientID, kind: entry.type, redirectURIs: entry.redirectURIs ?? [],
                                       grantTypes: Set(entry.grantTypes), scopes: Set(entry.scopes), secret: secret))
        }
        self.init(clients: clients)
    }
}
