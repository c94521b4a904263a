import Sovereignty
import Testing

@Suite("Region catalog")
struct RegionCatalogTests {
    @Test func loadsTheSeedTable() throws {
        let catalog = try ConfigFiles.catalog()
        #expect(catalog.regions.map(\.id.rawValue) == [
            "jp-tokyo", "jp-osaka", "kr-seoul", "eu-west-1", "us-east-1", "ap-southeast-1", "uk-west-1",
        ])
        #expect(catalog.defaultRegion == "jp-tokyo")
        let osaka = try #require(catalog.region("jp-osaka"))
        #expect(osaka.role == .standby)
        #expect(osaka.standbyFor == "jp-tokyo")
        #expect(osaka.jurisdiction == Jurisdiction("JP"))
        #expect(catalog.region(code: "kr1")?.id == "kr-seoul")
        #expect(catalog.region(country: "de")?.id == "eu-west-1")
        #expect(catalog.region(country: "GB")?.id == "uk-west-1")
        #expect(catalog.region(country: "JP")?.id == "jp-tokyo", "a standby never homes a country")
        #expect(catalog.jurisdiction(of: "ap-northeast-1") == Jurisdiction("JP"))
        #expect(catalog.primary(of: Jurisdiction("JP"))?.id == "jp-tokyo")
        #expect(try #require(catalog.region("kr-seoul")).compliance == ["PIPA", "ISMS", "KISA"])
    }

    /// Builds a regions document from region entries, each a YAML mapping in flow style.
    private func document(_ regions: [String], default region: String = "aa-one", locations: String = "[]") -> String {
        "default_region: \(region)\nlocations: \(locations)\nregions:\n" + regions.map { "  - \($0)\n" }.joined()
    }

    private let aa = "{id: aa-one, id_code: aa1, name: A, jurisdiction: AA, data_residency: {jurisdictions: [AA]}, countries: [AA]}"

    @Test(arguments: [
        ("{id: aa-one, id_code: aa1, name: A, jurisdiction: AA, data_residency: {jurisdictions: [AA]}}", "declared twice"),
        ("{id: bb-one, id_code: b1, name: B, jurisdiction: BB, data_residency: {jurisdictions: [BB]}}", "id_code 'b1'"),
        ("{id: bb-one, id_code: aa1, name: B, jurisdiction: BB, data_residency: {jurisdictions: [BB]}}", "share id_code aa1"),
        ("{id: bb-one, id_code: bb1, name: B, jurisdiction: BB, data_residency: {jurisdictions: [AA]}}", "must include its own jurisdiction BB"),
        ("{id: aa-two, id_code: aa2, name: A2, jurisdiction: AA, role: standby, data_residency: {jurisdictions: [AA]}}", "standby without standby_for"),
        ("{id: bb-one, id_code: bb1, name: B, jurisdiction: BB, role: standby, standby_for: aa-one, data_residency: {jurisdictions: [BB]}}", "of another jurisdiction"),
        ("{id: bb-one, id_code: bb1, name: B, jurisdiction: BB, data_residency: {jurisdictions: [BB]}, backups: [{target: nowhere}]}", "backup target nowhere"),
        ("{id: bb-one, id_code: bb1, name: B, jurisdiction: BB, data_residency: {jurisdictions: [BB]}, countries: [aa]}", "country aa is homed in both"),
        ("{id: aa-two, id_code: aa2, name: A2, jurisdiction: AA, data_residency: {jurisdictions: [AA]}}", "exactly one primary"),
    ])
    func rejectsInvalidRegion(entry: String, expected: String) throws {
        let error = #expect(throws: SovereigntyError.self) {
            try RegionCatalog(yaml: document([aa, entry]))
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "") should mention \(expected)")
    }

    @Test func rejectsAStandbyAsDefault() throws {
        let standby = "{id: aa-two, id_code: aa2, name: A2, jurisdiction: AA, role: standby, standby_for: aa-one, data_residency: {jurisdictions: [AA]}}"
        let error = #expect(throws: SovereigntyError.self) {
            try RegionCatalog(yaml: document([aa, standby], default: "aa-two"))
        }
        #expect(error?.message.contains("default_region aa-two is a standby") == true)
        #expect(throws: SovereigntyError.self) { try RegionCatalog(yaml: document([aa], default: "zz-none")) }
    }

    @Test func namesTheMissingKeyOfAMalformedDocument() throws {
        let error = #expect(throws: SovereigntyError.self) {
            try RegionCatalog(yaml: document(["{id: aa-one, name: A, jurisdiction: AA, data_residency: {jurisdictions: [AA]}}"]))
        }
        #expect(error?.code == .malformedDocument)
        #expect(error?.message.contains("id_code") == true)
        #expect(error?.message.contains("regions[0]") == true)
    }

    @Test func rejectsTextThatIsNotYAML() {
        let error = #expect(throws: SovereigntyError.self) { try RegionCatalog(yaml: "regions: [unclosed") }
        #expect(error?.code == .malformedDocument)
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let bad = "{id: bb-one, id_code: x, name: B, jurisdiction: BB, data_residency: {jurisdictions: [AA]}, backups: [{target: nowhere}]}"
        let error = #expect(throws: SovereigntyError.self) { try RegionCatalog(yaml: document([aa, bad])) }
        let message = error?.message ?? ""
        #expect(message.contains("id_code 'x'") && message.contains("own jurisdiction") && message.contains("nowhere"))
    }
}
