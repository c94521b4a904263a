public import Foundation
public import Hummingbird
public import ServerKit
internal import Sovereignty
internal import Logging

extension UserRoutes {
    /// The scope of operator tokens (client credentials of an operations client).
    static let operatorScope = "operator"

    /// `POST /api/v1/employers/{id}/verification`: an operator records that the employer's company was
    /// checked; only then may the employer list candidates.
    func verifyEmployer(_ context: AppRequestContext) async throws -> Response {
        guard context.scopes.contains(Self.operatorScope) else {
            if context.principal == nil && context.clientID == nil { throw Problem.unauthorized("this endpoint needs an operator's token") }
            throw Problem("insufficient-scope", status: .forbidden, title: "Token lacks a scope",
                          detail: "verifying an employer needs the \(Self.operatorScope) scope")
        }
        let text = try context.parameters.require("id")
        let id: RegionalID
        do { id = try RegionalID.parse(text, kind: .user) } catch { throw Problem.malformedID(error.message) }
        try cell.requireHome(id)
        guard let user = try await store.verifyEmployer(id, at: now()) else { throw Problem.notFound("no employer \(id)") }
        context.logger.info("employer verified", metadata: ["user_id": "\(id)", "client_id": "\(context.clientID ?? "-")"])
        return try .json(user, headers: [.cacheControl: "private, no-store"])
    }
}
