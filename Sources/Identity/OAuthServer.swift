public import Foundation
public import Hummingbird
internal import HTTPTypes
internal import Logging
public import ServerKit
public import Sovereignty
public import UserService

/// The OAuth2 authorization server: `authorization_code` with PKCE (S256 only) for people,
/// `client_credentials` for partner systems, rotating `refresh_token`s with reuse detection, and
/// revocation. A person signs in at their home cell: codes and refresh tokens carry the cell's code
/// (`ac_kr1_…`, `rt_kr1_…`), and only that cell's store is consulted.
public struct OAuthServer: Sendable {
    /// What the server needs of one cell.
    public struct Cell: Sendable {
        public let region: Region
        public let users: any UserStore
        public let grants: any GrantStore

        public init(region: Region, users: any UserStore, grants: any GrantStore) {
            self.region = region
            self.users = users
            self.grants = grants
        }
    }

    let cells: [String: Cell]
    let clients: OAuthClientRegistry
    let issuer: AccessTokenIssuer
    let passwords: any PasswordHashing
    /// A hash of a random password at the same cost, checked when the email is unknown.
    let decoyHash: String
    let codeLifetime: TimeInterval = 60
    let refreshLifetime: TimeInterval = 30 * 24 * 3600
    /// Back-off per account on wrong passwords.
    let throttle: SignInThrottle

    /// The regions the sign-in page offers; the cells' primaries unless given.
    let signInRegions: [Region]?

    /// - Parameter signInRegions: every region a person may be homed in, when this server runs one
    ///   region's cell of several (the gateway sends the form to the region chosen).
    public init(cells: [Cell], clients: OAuthClientRegistry, issuer: AccessTokenIssuer, passwords: any PasswordHashing, decoyHash: String,
                throttle: SignInThrottle = SignInThrottle(), signInRegions: [Region]? = nil) {
        self.signInRegions = signInRegions
        self.throttle = throttle
        self.decoyHash = decoyHash
        self.cells = Dictionary(cells.map { ($0.region.idCode, $0) }) { first, _ in first }
        self.clients = clients
        self.issuer = issuer
        self.passwords = passwords
    }

    public static let paths: Set<String> = ["/oauth/authorize", "/oauth/token", "/oauth/revoke"]
    public static let endpoints: [(method: String, path: String)] = [
        ("GET", "/oauth/authorize"), ("POST", "/oauth/authorize"), ("POST", "/oauth/token"), ("POST", "/oauth/revoke"),
    ]

    /// Scopes a person of a role may hold.
    static func scopes(for role: Principal.Role) -> Set<String> {
        Set(AccessTokenIssuer.defaultScope(for: role).split(separator: " ").map(String.init))
    }

    public func add(to router: Router<AppRequestContext>) {
        router.get("/oauth/authorize") { request, context in try authorizePage(request, trustCountry: context.viaTrustedProxy) }
        router.post("/oauth/authorize") { request, _ in try await signIn(request) }
        router.post("/oauth/token") { request, context in try await token(request, context) }
        router.post("/oauth/revoke") { request, _ in try await revoke(request) }
    }

    // MARK: Authorization endpoint

    /// The client and redirect URI of an authorization request, or an HTML error page (never a
    /// redirect to an unregistered URI).
    private enum ClientCheck {
        case success((OAuthClient, String))
        case failure(Response)
    }

    private func authorizationClient(_ parameters: [String: String]) -> ClientCheck {
        guard let id = parameters["client_id"], let client = clients.client(id), client.grantTypes.contains("authorization_code") else {
            return .failure(errorPage("Unknown client."))
        }
        guard let redirect = parameters["redirect_uri"], client.redirectURIs.contains(redirect) else {
            return .failure(errorPage("The redirect URI is not registered for this client."))
        }
        return .success((client, redirect))
    }

    /// Errors after the redirect URI is trusted go back to the client (RFC 6749 §4.1.2.1).
    private func redirectError(_ redirect: String, _ code: String, _ description: String, state: String?) -> Response {
        self.redirect(to: redirect, ["error": code, "error_description": description, "state": state])
    }

    private func checkRequest(_ parameters: [String: String], client: OAuthClient) -> (code: String, description: String)? {
        guard parameters["response_type"] == "code" else { return ("unsupported_response_type", "response_type must be code") }
        guard parameters["code_challenge_method"] == "S256" else { return ("invalid_request", "PKCE with code_challenge_method=S256 is required") }
        guard let challenge = parameters["code_challenge"], challenge.count == 43, Base64URL.decode(challenge) != nil else {
            return ("invalid_request", "code_challenge must be the base64url SHA-256 of the verifier")
        }
        let requested = Set((parameters["scope"] ?? "").split(separator: " ").map(String.init))
        guard requested.isSubset(of: client.scopes) else { return ("invalid_scope", "the client may not ask for these scopes") }
        return nil
    }

    func authorizePage(_ request: Request, trustCountry: Bool) throws -> Response {
        let parameters = request.formQuery.fields
        switch authorizationClient(parameters) {
        case .failure(let page): return page
        case .success(let (client, redirect)):
            if let problem = checkRequest(parameters, client: client) {
                return redirectError(redirect, problem.code, problem.description, state: parameters["state"])
            }
            let country = trustCountry ? request.headers[.clientCountry] : nil
            let selected = country.flatMap { code in primaries.first { $0.countries.contains(code.uppercased()) }?.id }
            return LoginPage.response(LoginPage.render(parameters: parameters, regions: primaries, selected: selected, error: nil))
        }
    }

    private var primaries: [Region] {
        (signInRegions ?? cells.values.map(\.region)).filter { $0.role == .primary }.sorted { $0.id < $1.id }
    }

    func signIn(_ request: Request) async throws -> Response {
        guard let form = try await FormBody.read(request) else { return errorPage("The sign-in form must be form-encoded.") }
        let parameters = form.fields
        switch authorizationClient(parameters) {
        case .failure(let page): return page
        case .success(let (client, redirect)):
            if let problem = checkRequest(parameters, client: client) {
                return redirectError(redirect, problem.code, problem.description, state: parameters["state"])
            }
            let regionID = RegionID(form["home_region"] ?? "")
            guard let cell = cells.values.first(where: { $0.region.id == regionID && $0.region.role == .primary }),
                  let email = form["email"], let password = form["password"] else {
                return loginAgain(parameters, "Choose your home region and enter your email and password.")
            }
            let region = cell.region.id.rawValue
            if let wait = throttle.delay(region: region, email: email) {
                var page = loginAgain(parameters, "Too many wrong passwords for this account; try again in \(wait) seconds.", status: .tooManyRequests)
                page.headers[.retryAfter] = "\(wait)"
                return page
            }
            let found = try await cell.users.credentials(email: email)
            // Hash even for an unknown email, so the answer time does not reveal who is registered.
            let matches = try await passwords.verify(password, hash: found?.passwordHash ?? decoyHash)
            guard let found, matches else {
                throttle.failed(region: region, email: email)
                return loginAgain(parameters, "The email or password is wrong.", status: .unauthorized)
            }
            throttle.succeeded(region: region, email: email)
            let requested = Set((parameters["scope"] ?? "").split(separator: " ").map(String.init))
            let granted = (requested.isEmpty ? client.scopes : requested).intersection(Self.scopes(for: found.user.role))
            let code = "ac_\(cell.region.idCode)_" + RandomToken.make(bytes: 32)
            try await cell.grants.saveCode(code, .init(clientID: client.id, userID: found.user.id.description, redirectURI: redirect,
                                                        challenge: parameters["code_challenge"]!, scope: granted.sorted().joined(separator: " ")),
                                           expiresAt: Date().addingTimeInterval(codeLifetime))
            return self.redirect(to: redirect, ["code": code, "state": parameters["state"]])
        }
    }


    private func loginAgain(_ parameters: [String: String], _ message: String, status: HTTPResponse.Status = .badRequest) -> Response {
        LoginPage.response(LoginPage.render(parameters: parameters, regions: primaries, selected: nil, error: message), status: status)
    }

    private func errorPage(_ message: String) -> Response {
        LoginPage.response("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in error</title></head><body><h1>Cannot sign in</h1><p>\(HTML.escape(message))</p></body></html>", status: .badRequest)
    }

    private func redirect(to base: String, _ parameters: [String: String?]) -> Response {
        var components = URLComponents(string: base)!
        components.queryItems = (components.queryItems ?? []) + parameters.sorted { $0.key < $1.key }.compactMap { key, value in
            value.map { URLQueryItem(name: key, value: $0) }
        }
        return Response(status: .seeOther, headers: [.location: components.string!, .cacheControl: "no-store"])
    }

    // MARK: Token endpoint

    struct TokenResponse: Encodable {
        let accessToken: String
        let tokenType = "Bearer"
        let expiresIn: Int
        let refreshToken: String?
        let scope: String

        enum CodingKeys: String, CodingKey {
            case scope
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case refreshToken = "refresh_token"
        }
    }

    func token(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let form = try await FormBody.read(request) else { throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded") }
        guard form.repeated.isEmpty else { throw OAuthError.invalidRequest("a parameter is repeated") }
        let client = try authenticateClient(request, form)
        switch form["grant_type"] {
        case "authorization_code": return try await exchangeCode(form, client: client)
        case "refresh_token": return try await refresh(form, client: client)
        case "client_credentials": return try await clientCredentials(form, client: client)
        case nil: throw OAuthError.invalidRequest("grant_type is required")
        default: throw OAuthError("unsupported_grant_type", "grant_type must be authorization_code, refresh_token or client_credentials")
        }
    }

    /// HTTP Basic or form credentials for a confidential client; the client id alone for a public one.
    private func authenticateClient(_ request: Request, _ form: FormBody) throws -> OAuthClient {
        var id = form["client_id"]
        var secret = form["client_secret"]
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
           let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
           let colon = decoded.firstIndex(of: ":") {
            id = String(decoded[..<colon]).removingPercentEncoding
            secret = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding
        }
        guard let id, let client = clients.client(id) else { throw OAuthError.invalidClient() }
        if client.kind == .confidential, !client.authenticates(secret: secret) { throw OAuthError.invalidClient() }
        return client
    }

    private func cell(of token: String, prefix: String) -> Cell? {
        let parts = token.split(separator: "_", maxSplits: 2)
        guard parts.count == 3, parts[0] == prefix else { return nil }
        return cells[String(parts[1])]
    }

    private func exchangeCode(_ form: FormBody, client: OAuthClient) async throws -> Response {
        guard client.grantTypes.contains("authorization_code") else { throw OAuthError("unauthorized_client", "the client may not use this grant") }
        guard let code = form["code"], let verifier = form["code_verifier"], let redirect = form["redirect_uri"] else {
            throw OAuthError.invalidRequest("code, code_verifier and redirect_uri are required")
        }
        guard let cell = cell(of: code, prefix: "ac") else { throw OAuthError.invalidGrant("the code is not valid") }
        let family = UUID().uuidString.lowercased()
        switch try await cell.grants.redeemCode(code, familyID: family) {
        case .invalid: throw OAuthError.invalidGrant("the code is not valid or has expired")
        case .reused: throw OAuthError.invalidGrant("the code was already used; tokens issued from it are revoked")
        case .valid(let grant):
            guard grant.clientID == client.id, grant.redirectURI == redirect else { throw OAuthError.invalidGrant("the code was issued to another client or redirect URI") }
            guard RandomToken.pkceMatches(verifier: verifier, challenge: grant.challenge) else {
                throw OAuthError.invalidGrant("the code_verifier does not match the code_challenge")
            }
            return try await issueForPerson(userID: grant.userID, scope: grant.scope, client: client, family: family, cell: cell)
        }
    }

    private func refresh(_ form: FormBody, client: OAuthClient) async throws -> Response {
        guard client.grantTypes.contains("refresh_token") else { throw OAuthError("unauthorized_client", "the client may not use this grant") }
        guard let token = form["refresh_token"], let cell = cell(of: token, prefix: "rt") else {
            throw OAuthError.invalidGrant("the refresh token is not valid")
        }
        switch try await cell.grants.redeemRefreshToken(token) {
        case .invalid: throw OAuthError.invalidGrant("the refresh token is not valid, expired or revoked")
        case .reused: throw OAuthError.invalidGrant("the refresh token was already used; every token of this sign-in is revoked")
        case .valid(let grant):
            guard grant.clientID == client.id else { throw OAuthError.invalidGrant("the refresh token belongs to another client") }
            return try await issueForPerson(userID: grant.userID, scope: grant.scope, client: client, family: grant.familyID, cell: cell)
        }
    }

    private func issueForPerson(userID: String, scope: String, client: OAuthClient, family: String, cell: Cell) async throws -> Response {
        guard let id = RegionalID(userID), let user = try await cell.users.find(id) else {
            throw OAuthError.invalidGrant("the person no longer exists")
        }
        let principal = Principal(userID: id, role: user.role, homeRegion: cell.region.id)
        let access = try await issuer.issue(for: principal, scope: scope, clientID: client.id)
        let refresh = "rt_\(cell.region.idCode)_" + RandomToken.make(bytes: 32)
        try await cell.grants.saveRefreshToken(refresh, .init(familyID: family, clientID: client.id, userID: userID, scope: scope),
                                               expiresAt: Date().addingTimeInterval(refreshLifetime))
        return try tokenResponse(TokenResponse(accessToken: access, expiresIn: Int(issuer.lifetime), refreshToken: refresh, scope: scope))
    }

    private func clientCredentials(_ form: FormBody, client: OAuthClient) async throws -> Response {
        guard client.kind == .confidential, client.grantTypes.contains("client_credentials") else {
            throw OAuthError("unauthorized_client", "the client may not use client_credentials")
        }
        let requested = Set((form["scope"] ?? "").split(separator: " ").map(String.init))
        guard requested.isSubset(of: client.scopes) else { throw OAuthError("invalid_scope", "the client may not ask for these scopes") }
        let scope = (requested.isEmpty ? client.scopes : requested).sorted().joined(separator: " ")
        let access = try await issuer.issue(forClient: client.id, scope: scope)
        return try tokenResponse(TokenResponse(accessToken: access, expiresIn: Int(issuer.lifetime), refreshToken: nil, scope: scope))
    }

    private func tokenResponse(_ body: TokenResponse) throws -> Response {
        try Response.json(body, headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"])
    }

    // MARK: Revocation

    func revoke(_ request: Request) async throws -> Response {
        guard let form = try await FormBody.read(request) else { throw OAuthError.invalidRequest("the body must be form-encoded") }
        _ = try authenticateClient(request, form)
        if let token = form["token"], let cell = cell(of: token, prefix: "rt") {
            try await cell.grants.revoke(token)
        }
        return Response(status: .ok, headers: [.cacheControl: "no-store"])
    }
}
