public import Foundation
public import Hummingbird
public import ServerKit
public import Sovereignty
internal import Logging
internal import Workforce

/// user-service: registration and the caller's own profile, served by the person's home cell.
public struct UserRoutes: Sendable {
    let cell: CellIdentity
    let store: any UserStore
    let tokens: any AccessTokenMinting
    let passwords: any PasswordHashing
    /// Email changes waiting for confirmation, and where their messages go.
    let emailChanges: EmailChangeStore
    let outbox: any MessageOutbox
    /// How employers' company identifiers are checked, per country.
    let corporateNumbers: CorporateNumbers
    /// Told after a person's record changed (so derived indexes, such as opted-in candidates, follow).
    let recordChanged: @Sendable (RegionalID) async throws -> Void
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, store: any UserStore, tokens: any AccessTokenMinting, passwords: any PasswordHashing,
                emailChanges: EmailChangeStore, outbox: any MessageOutbox, corporateNumbers: CorporateNumbers,
                recordChanged: @escaping @Sendable (RegionalID) async throws -> Void = { _ in }, now: @escaping @Sendable () -> Date = Date.init) {
        self.recordChanged = recordChanged
        self.corporateNumbers = corporateNumbers
        self.emailChanges = emailChanges
        self.outbox = outbox
        self.cell = cell
        self.store = store
        self.tokens = tokens
        self.passwords = passwords
        self.now = now
    }

    /// The paths this service registers, for the API-document parity check.
    public static let paths: [(method: HTTPRequest.Method, path: String)] = [
        (.post, "/api/v1/users"), (.get, "/api/v1/users/me"), (.patch, "/api/v1/users/me"), (.get, "/api/v1/users/{id}"),
        (.post, "/api/v1/users/me/email-confirmation"), (.post, "/api/v1/employers/{id}/verification"),
    ]

    /// The endpoints above that answer without a bearer token.
    public static let anonymousPaths: [(method: HTTPRequest.Method, path: String)] = [(.post, "/api/v1/users")]

    public func add(to router: Router<AppRequestContext>) {
        router.post("/api/v1/users") { request, context in try await register(request, context) }
        router.get("/api/v1/users/me") { _, context in try await me(context) }
        router.patch("/api/v1/users/me") { request, context in try await updateMe(request, context) }
        router.get("/api/v1/users/{id}") { _, context in try await user(context) }
        router.post("/api/v1/users/me/email-confirmation") { request, context in try await confirmEmail(request, context) }
        router.post("/api/v1/employers/{id}/verification") { _, context in try await verifyEmployer(context) }
    }

    /// The body of a successful registration.
    struct Registered: Encodable {
        let user: User
        let accessToken: String
        let tokenType = "Bearer"

        enum CodingKeys: String, CodingKey {
            case user
            case accessToken = "access_token"
            case tokenType = "token_type"
        }
    }

    func register(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var body = try await StrictJSON.decode(RegistrationRequest.self, from: request)
        let errors = body.validate(corporateNumbers: corporateNumbers)
        guard errors.isEmpty else { throw Problem.validationFailed(errors.problems) }
        let home = try homeRegion(of: body)
        guard home.role == .primary else {
            throw Problem.regionNotAccepting("\(home.id) is a standby region; register in \(home.standbyFor?.rawValue ?? "its primary")")
        }
        guard home.id == cell.region.id else {
            throw Problem.wrongCell("a person homed in \(home.id) is registered by that cell; this is \(cell.region.id)")
        }
        if body.role == .worker {
            var profile = body.profile ?? WorkerProfile()
            profile.skills = Skills.normalise(profile.skills)
            body.profile = profile
        }
        let timestamp = Timestamps.format(now())
        let id = RegionalID.generate(kind: .user, regionCode: home.idCode, millisecondsSince1970: Timestamps.milliseconds(now()))
        var user = User(
            id: id, role: body.role, email: body.email, displayName: body.displayName,
            countryOfResidence: body.countryOfResidence, homeRegion: home.id, companyName: body.companyName,
            profile: body.profile, createdAt: timestamp, updatedAt: timestamp)
        user.corporateNumber = body.corporateNumber.map(CorporateNumbers.normalised)
        do {
            let hash: String? = if let password = body.password { try await passwords.hash(password) } else { nil }
            try await store.insert(user, passwordHash: hash)
        } catch UserStoreError.emailTaken {
            throw Problem.conflict("email-taken", "this email is already registered in \(home.id)")
        }
        context.logger.info("user registered", metadata: ["user_id": "\(id)", "user_role": "\(body.role.rawValue)"])
        let token = try await tokens.mint(for: Principal(userID: id, role: body.role, homeRegion: home.id))
        return try .json(Registered(user: user, accessToken: token), status: .created,
                         headers: [.location: "/api/v1/users/\(id)"])
    }

    private func homeRegion(of body: RegistrationRequest) throws(Problem) -> Region {
        if let name = body.homeRegion {
            guard let region = cell.catalog.region(RegionID(name)) else {
                throw Problem.unknownRegion("home_region \(name.prefix(64)) is not a configured region")
            }
            return region
        }
        guard let region = cell.catalog.region(country: body.countryOfResidence) else {
            throw Problem.homeRegionRequired(
                "no region homes residents of \(body.countryOfResidence.uppercased()); choose home_region explicitly")
        }
        return region
    }

    func me(_ context: AppRequestContext) async throws -> Response {
        try .json(try await ownRecord(context), headers: [.cacheControl: "private, no-store"])
    }

    func updateMe(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var user = try await ownRecord(context)
        let update = try await StrictJSON.decode(ProfileUpdate.self, from: request)
        let errors = update.validate(for: user.role)
        guard errors.isEmpty else { throw Problem.validationFailed(errors.problems) }
        // A new email takes effect only once confirmed from that mailbox (see UserRoutes+EmailChange).
        var emailChangeStarted = false
        if let email = update.email, email.lowercased() != user.email.lowercased() {
            try await requestEmailChange(for: user, to: email)
            emailChangeStarted = true
        }
        if let name = update.displayName { user.displayName = name }
        if let company = update.companyName { user.companyName = company }
        if var profile = update.profile {
            profile.skills = Skills.normalise(profile.skills)
            user.profile = profile
        }
        user.updatedAt = Timestamps.format(now())
        try await store.update(user)
        try await recordChanged(user.id)
        return try .json(user, status: emailChangeStarted ? .accepted : .ok)
    }

    func user(_ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let text = try context.parameters.require("id")
        let id: RegionalID
        do { id = try RegionalID.parse(text, kind: .user) } catch { throw Problem.malformedID(error.message) }
        try cell.requireHome(id)
        guard principal.userID == id else { throw Problem.forbidden("a person may read only their own record") }
        guard let user = try await store.find(id) else { throw Problem.notFound("no user \(id)") }
        return try .json(user, headers: [.cacheControl: "private, no-store"])
    }

    func ownRecord(_ context: AppRequestContext) async throws -> User {
        let principal = try context.requirePrincipal()
        try cell.requireHome(principal.userID)
        guard let user = try await store.find(principal.userID) else {
            throw Problem.notFound("the token's user no longer exists in \(cell.region.id)")
        }
        return user
    }
}
