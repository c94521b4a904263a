import Sovereignty
import Storage
import SQLKit
import Logging
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport
import Platform
import UserService

/// Steps of the API tour shared by the platform tests.
enum Scenario {
    struct Account {
        let id: String
        let token: String
        let servedBy: String?
    }

    static func register(
        _ client: some TestClientProtocol, role: String = "worker", email: String, name: String = "Test Person",
        country: String, homeRegion: String? = nil, profile: [String: Any]? = nil, company: String? = nil, corporateNumber: String? = nil,
        via region: String? = nil
    ) async throws -> Account {
        var body: [String: Any] = ["role": role, "email": email, "display_name": name, "country_of_residence": country]
        if let homeRegion { body["home_region"] = homeRegion }
        if let profile { body["profile"] = profile }
        if let company { body["company_name"] = company }
        if role == "employer" { body["corporate_number"] = corporateNumber ?? Self.corporateNumber(country: country) }
        let response = try await client.execute(
            uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(region: region), body: JSONRequest.body(body))
        try #require(response.status == .created, "registration failed: \(response.text)")
        let user = try #require(response.json["user"] as? [String: Any])
        return Account(id: try #require(user["id"] as? String), token: try #require(response.json["access_token"] as? String),
                       servedBy: response.headers[HTTPField.Name("X-Served-By-Region")!])
    }

    static var weldingWorkerProfile: [String: Any] { [
        "skills": ["Welding", "forklift"],
        "languages": [["language": "ja", "test": "JLPT", "level": "N3"]],
        "residence": ["status": "specified-skilled-worker-1", "expires_on": "2099-01-31"],
        "location": ["country": "KR", "city": "Busan"],
        "desired_salary": ["amount": 240_000, "currency": "JPY", "period": "month"],
    ] }

    static func weldingJob(title: String = "Welder, Osaka") -> [String: Any] {
        [
            "title": title, "description": "Steel frame welding. 溶接。",
            "required_skills": ["welding"],
            "minimum_language": ["language": "ja", "test": "JLPT", "level": "N4"],
            "eligible_residence_statuses": ["specified-skilled-worker-1"],
            "location": ["country": "JP", "prefecture": "Osaka", "city": "Osaka"],
            "salary": ["min": 230_000, "max": 260_000, "currency": "JPY", "period": "month"],
            "employment_type": "full-time", "field": "industrial-manufacturing",
        ]
    }

    static func postJob(_ client: some TestClientProtocol, token: String, job: [String: Any] = weldingJob()) async throws -> String {
        let response = try await client.execute(
            uri: "/api/v1/jobs", method: .post, headers: JSONRequest.headers(token: token), body: JSONRequest.body(job))
        try #require(response.status == .created, "posting failed: \(response.text)")
        return try #require(response.json["id"] as? String)
    }
    /// A company identifier that passes its country's check (Toyota's 法人番号, Samsung's 사업자등록번호).
    static func corporateNumber(country: String) -> String {
        switch country {
        case "JP": "1180301018771"
        case "KR": "124-81-00998"
        default: "HRB-12345"
        }
    }

    /// What an operator does before an employer may list candidates.
    static func verifyEmployer(_ platform: Platform, _ id: String) async throws {
        let employer = try #require(RegionalID(id))
        let cell = try #require(platform.cells.first { $0.region.idCode == employer.regionCode })
        _ = try #require(try await cell.users.verifyEmployer(employer, at: Date()))
    }

}

extension HTTPField.Name {
    static let servedBy = HTTPField.Name("X-Served-By-Region")!
    static let requestIDHeader = HTTPField.Name("X-Request-ID")!
}
