import Foundation
@testable import Gateway
import ServerKit
import Sovereignty
import Testing

@Suite("Region resolver")
struct RegionResolverTests {
    static let catalogYAML = """
        default_region: jp-tokyo
        regions:
          - {id: jp-tokyo, id_code: jp1, name: Tokyo, jurisdiction: JP, data_residency: {jurisdictions: [JP]}, countries: [JP]}
          - {id: jp-osaka, id_code: jp2, name: Osaka, jurisdiction: JP, role: standby, standby_for: jp-tokyo, data_residency: {jurisdictions: [JP]}}
          - {id: kr-seoul, id_code: kr1, name: Seoul, jurisdiction: KR, data_residency: {jurisdictions: [KR]}, countries: [KR]}
          - {id: eu-west-1, id_code: eu1, name: Frankfurt, jurisdiction: EU, data_residency: {jurisdictions: [EU]}, countries: [DE, FR]}
        """

    let resolver = RegionResolver(catalog: try! RegionCatalog(yaml: catalogYAML))
    let koreanWorker = Principal(
        userID: RegionalID.generate(kind: .user, regionCode: "kr1", millisecondsSince1970: 1), role: .worker, homeRegion: "kr-seoul")
    let japaneseJob = RegionalID.generate(kind: .job, regionCode: "jp1", millisecondsSince1970: 1)

    func hints(_ build: (inout RegionResolver.Hints) -> Void) -> RegionResolver.Hints {
        var hints = RegionResolver.Hints()
        build(&hints)
        return hints
    }

    @Test func followsTheFixedOrder() throws {
        let all = hints {
            $0.pathSegments = ["api", "v1", "jobs", japaneseJob.description]
            $0.principal = koreanWorker
            $0.bodyHomeRegion = "eu-west-1"
            $0.regionHeader = "eu-west-1"
            $0.clientCountry = "DE"
        }
        #expect(try resolver.resolve(all) == .init(region: resolver.catalog.region("jp-tokyo")!, source: .recordID))
        var next = all
        next.pathSegments = ["api", "v1", "jobs"]
        #expect(try resolver.resolve(next).source == .token)
        #expect(try resolver.resolve(next).region.id == "kr-seoul")
        next.principal = nil
        #expect(try resolver.resolve(next).source == .body)
        next.bodyHomeRegion = nil
        #expect(try resolver.resolve(next).source == .header)
        next.regionHeader = nil
        #expect(try resolver.resolve(next) == .init(region: resolver.catalog.region("eu-west-1")!, source: .clientCountry))
        next.clientCountry = "BR"
        #expect(try resolver.resolve(next) == .init(region: resolver.catalog.region("jp-tokyo")!, source: .default))
    }

    @Test func aStandbyIsServedByItsPrimary() throws {
        let resolution = try resolver.resolve(hints { $0.regionHeader = "jp-osaka" })
        #expect(resolution.region.id == "jp-tokyo")
        let standbyID = RegionalID.generate(kind: .user, regionCode: "jp2", millisecondsSince1970: 1)
        #expect(try resolver.resolve(hints { $0.pathSegments = [standbyID.description] }).region.id == "jp-tokyo")
    }

    @Test(arguments: [
        (["usr_jp1_nope"], "malformed-id"),
        (["job_xx9_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"], "not-found"),
    ])
    func rejectsBadIdentifiers(segments: [String], slug: String) {
        let error = #expect(throws: Problem.self) { try resolver.resolve(hints { $0.pathSegments = segments }) }
        #expect(error?.slug == slug)
    }

    @Test func ignoresSegmentsThatAreNotIdentifiers() throws {
        #expect(try resolver.resolve(hints { $0.pathSegments = ["api", "v1", "users", "me", "some_thing"] }).source == .default)
    }

    /// Before: an X-Region naming no region passed whenever the token or the path's id decided.
    @Test func anUnknownRegionHeaderIsRefusedEvenWhereItWouldNotDecide() {
        let id = RegionalID.generate(kind: .job, regionCode: "kr1", millisecondsSince1970: 1)
        let error = #expect(throws: Problem.self) {
            try resolver.resolve(hints { $0.pathSegments = [id.description]; $0.regionHeader = "AAA" })
        }
        #expect(error?.slug == "unknown-region")
    }

    @Test func rejectsUnknownRegionsByName() {
        for build: (inout RegionResolver.Hints) -> Void in [{ $0.regionHeader = "mars-1" }, { $0.bodyHomeRegion = "mars-1" }] {
            let error = #expect(throws: Problem.self) { try resolver.resolve(hints(build)) }
            #expect(error?.slug == "unknown-region")
            #expect(error?.status == .badRequest)
        }
    }

    @Test func routeRulesMatchPrefixesOnSegmentBoundaries() throws {
        let table = try RouteTable(yaml: "routes:\n  - {path: /api/v1/users/*, service: user-service, region: geo-routing}\n")
        #expect(table.rule(for: "/api/v1/users")?.service == "user-service")
        #expect(table.rule(for: "/api/v1/users/me")?.service == "user-service")
        #expect(table.rule(for: "/api/v1/usersx") == nil)
        #expect(table.rule(for: "/api/v1") == nil)
        #expect(throws: GatewayConfigurationError.self) {
            try RouteTable(yaml: "routes:\n  - {path: api, service: x, region: somewhere}\n")
        }
    }
}

@Suite("Load shedder")
struct LoadShedderTests {
    @Test func admitsUpToTheBoundAndFreesSlots() {
        let shedder = LoadShedder(limit: 2)
        #expect(shedder.enter())
        #expect(shedder.enter())
        #expect(!shedder.enter(), "the third concurrent request is shed")
        #expect(shedder.current == 2, "a refused request takes no slot")
        shedder.leave()
        #expect(shedder.enter())
    }
}
