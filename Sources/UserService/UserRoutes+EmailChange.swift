public import Foundation
public import Hummingbird
public import ServerKit
internal import Sovereignty

extension UserRoutes {
    struct EmailConfirmation: Codable {
        let token: String
    }

    /// Starts an email change: the new address receives a one-time token (through the outbox), and the
    /// record changes only when the token comes back. The same work is done and the same answer given
    /// whether or not the address is registered already, so the request tells nobody which it is.
    func requestEmailChange(for user: User, to email: String) async throws {
        let now = now()
        let token = try await emailChanges.start(for: user.id, email: email, now: now)
        let taken = try await store.isRegistered(email: email)
        let text = taken
            ? "Someone asked to move an iWORKZ account to this address, which already has an account. Nothing was changed; if it was you, sign in with this address instead."
            : "Confirm that this address should become the email of your iWORKZ account: send this code within 24 hours to POST /api/v1/users/me/email-confirmation as {\"token\": \"\(token)\"}. If you did not ask for this, ignore this message."
        try await outbox.enqueue(OutgoingMessage(subject: user.id.description, to: email, title: "Confirm your new email address",
                                                 text: text, createdAt: Timestamps.format(now)))
    }

    /// `POST /api/v1/users/me/email-confirmation`: completes a pending change with the token sent to the new address.
    func confirmEmail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var user = try await ownRecord(context)
        let body = try await StrictJSON.decode(EmailConfirmation.self, from: request)
        guard body.token.count <= 256, let email = try await emailChanges.finish(for: user.id, token: body.token, now: now()) else {
            throw Problem.validationFailed([.init(pointer: "/token", detail: "is not a pending confirmation of this account, or it expired")])
        }
        user.email = email
        user.updatedAt = Timestamps.format(now())
        do { try await store.update(user) } catch UserStoreError.emailTaken {
            throw Problem.conflict("email-taken", "this email is already registered in \(cell.region.id)")
        }
        return try .json(user, headers: [.cacheControl: "private, no-store"])
    }
}
