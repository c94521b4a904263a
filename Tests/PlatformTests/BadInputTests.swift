import Sovereignty
import Storage
import SQLKit
import Logging
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Platform
import Testing
import TestSupport

@Suite("Bad input")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let contentType: String?
        let auth: Auth
        let status: HTTPResponse.Status
        let type: String

        enum Auth: Sendable { case none, worker, employer, forged }

        var testDescription: String { name }

        init(_ name: String, _ method: HTTPRequest.Method, _ path: String, body: String? = nil,
             contentType: String? = "application/json", auth: Auth = .none, _ status: HTTPResponse.Status, _ type: String) {
            self.name = name
            self.method = method
            self.path = path
            self.body = body
            self.contentType = contentType
            self.auth = auth
            self.status = status
            self.type = type
        }
    }

    static let registration = #"{"role":"worker","email":"new@example.kr","display_name":"New","country_of_residence":"KR"}"#

    static let cases: [Case] = [
        Case("malformed JSON", .post, "/api/v1/users", body: #"{"role": "worker","#, .badRequest, "malformed-json"),
        Case("not JSON at all", .post, "/api/v1/users", body: "role=worker", .badRequest, "malformed-json"),
        Case("empty body", .post, "/api/v1/users", body: "", .badRequest, "invalid-body"),
        Case("unknown field", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.kr","display_name":"A","country_of_residence":"KR","is_admin":true}"#,
             .badRequest, "unknown-field"),
        Case("unknown nested field", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.kr","display_name":"A","country_of_residence":"KR","profile":{"skils":["x"],"skills":[]}}"#,
             .badRequest, "unknown-field"),
        Case("wrong type", .post, "/api/v1/users",
             body: #"{"role":"worker","email":42,"display_name":"A","country_of_residence":"KR"}"#, .badRequest, "invalid-body"),
        Case("missing member", .post, "/api/v1/users", body: #"{"role":"worker","email":"a@example.kr"}"#, .badRequest, "invalid-body"),
        Case("unknown enum value", .post, "/api/v1/users",
             body: #"{"role":"admin","email":"a@example.kr","display_name":"A","country_of_residence":"KR"}"#, .badRequest, "invalid-body"),
        Case("array instead of object", .post, "/api/v1/users", body: "[]", .badRequest, "invalid-body"),
        Case("oversized body", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.kr","display_name":""# + String(repeating: "x", count: 70_000) + #"","country_of_residence":"KR"}"#,
             .contentTooLarge, "body-too-large"),
        Case("not JSON content type", .post, "/api/v1/users", body: registration, contentType: "text/plain",
             .unsupportedMediaType, "unsupported-media-type"),
        Case("invalid email", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"nope","display_name":"A","country_of_residence":"KR"}"#, .unprocessableContent, "validation-failed"),
        Case("bad language level", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.kr","display_name":"A","country_of_residence":"KR","profile":{"skills":[],"languages":[{"language":"ja","test":"JLPT","level":"N9"}]}}"#,
             .unprocessableContent, "validation-failed"),
        Case("unknown residence status", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.kr","display_name":"A","country_of_residence":"KR","profile":{"skills":[],"languages":[],"residence":{"status":"tourist"}}}"#,
             .unprocessableContent, "validation-failed"),
        Case("unknown home region", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.kr","display_name":"A","country_of_residence":"KR","home_region":"mars-1"}"#,
             .badRequest, "unknown-region"),
        Case("country without a cell", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.br","display_name":"A","country_of_residence":"BR"}"#,
             .unprocessableContent, "home-region-required"),
        Case("standby home region", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.jp","display_name":"A","country_of_residence":"JP","home_region":"jp-osaka"}"#,
             .conflict, "region-not-accepting"),
        Case("malformed id", .get, "/api/v1/users/usr_jp1_not-a-uuid", auth: .worker, .badRequest, "malformed-id"),
        Case("id of the wrong kind", .get, "/api/v1/jobs/usr_kr1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", .badRequest, "malformed-id"),
        Case("no token", .get, "/api/v1/users/me", .unauthorized, "unauthorized"),
        Case("forged token", .get, "/api/v1/users/me", auth: .forged, .unauthorized, "unauthorized"),
        Case("worker posts a job", .post, "/api/v1/jobs", body: "{}", auth: .worker, .forbidden, "insufficient-scope"),
        Case("employer asks for matches", .get, "/api/v1/matching/jobs", auth: .employer, .forbidden, "insufficient-scope"),
        Case("worker reads another person", .get, "/api/v1/users/usr_kr1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", auth: .worker, .forbidden, "forbidden"),
        Case("salary range upside down", .post, "/api/v1/jobs",
             body: #"{"title":"T","description":"D","required_skills":[],"eligible_residence_statuses":[],"location":{"country":"KR"},"salary":{"min":10,"max":5,"currency":"KRW","period":"month"},"employment_type":"full-time"}"#,
             auth: .employer, .unprocessableContent, "validation-failed"),
        Case("unknown query parameter", .get, "/api/v1/jobs?colour=red", .unprocessableContent, "validation-failed"),
        Case("limit out of range", .get, "/api/v1/jobs?limit=100000", .unprocessableContent, "validation-failed"),
        Case("method not allowed", .put, "/api/v1/users/me", auth: .worker, .methodNotAllowed, "method-not-allowed"),
        Case("unknown member set to null", .post, "/api/v1/users",
             body: #"{"role":"worker","email":"a@example.kr","display_name":"A","country_of_residence":"KR","is_admin":null}"#,
             .badRequest, "unknown-field"),
        Case("duplicate member", .post, "/api/v1/users",
             body: #"{"role":"worker","role":"employer","email":"a@example.kr","display_name":"A","country_of_residence":"KR"}"#,
             .badRequest, "malformed-json"),
    ]

    @Test(arguments: cases)
    func isRejectedWithAProblem(_ input: Case) async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "w@example.kr", country: "KR")
                let employer = try await Scenario.register(client, role: "employer", email: "e@example.kr", country: "KR", company: "Co")
                var headers: HTTPFields = [:]
                if let type = input.contentType { headers[.contentType] = type }
                switch input.auth {
                case .none: break
                case .worker: headers[.authorization] = "Bearer \(worker.token)"
                case .employer: headers[.authorization] = "Bearer \(employer.token)"
                case .forged: headers[.authorization] = "Bearer " + Self.forge(worker.token)
                }
                let response = try await client.execute(
                    uri: input.path, method: input.method, headers: headers, body: input.body.map { ByteBuffer(string: $0) })
                #expect(response.status == input.status, "\(input.name): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(input.name)")
                #expect(response.json["type"] as? String == "urn:iworkz:problem:\(input.type)", "\(input.name): \(response.text)")
                #expect(response.json["status"] as? Int == Int(input.status.code))
                #expect((response.json["detail"] as? String)?.isEmpty == false)
                // Nothing is written by a rejected request: each cell still holds only the two accounts.
                var total = 0
                for cell in platform.cells {
                    total += try await cell.database.sql.raw("SELECT count(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
                }
                #expect(total == 2, "\(input.name) wrote \(total - 2) record(s)")
            }
        }
    }

    /// A token whose claims were edited to name another region: the signature no longer matches.
    static func forge(_ token: String) -> String {
        let parts = token.split(separator: ".").map(String.init)
        let claims = #"{"sub":"usr_jp1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b","role":"worker","rgn":"jp-tokyo","exp":9999999999}"#
        let payload = Data(claims.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return [parts[0], payload, parts[2]].joined(separator: ".")
    }
}
