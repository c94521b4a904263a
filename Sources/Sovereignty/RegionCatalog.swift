/// The validated set of regional cells and storage locations (`config/regions.yaml`).
public struct RegionCatalog: Sendable {
    /// Every cell, in the order of the configuration file.
    public let regions: [Region]
    /// Storage locations that are not cells (backup targets).
    public let locations: [StorageLocation]
    /// The cell that serves a request when nothing else names one.
    public let defaultRegion: RegionID

    private let byID: [RegionID: Region]
    private let byCode: [String: Region]
    private let byCountry: [String: Region]
    private let locationsByID: [RegionID: StorageLocation]

    /// Builds a catalog, checking every cross-reference; all problems are reported at once.
    public init(regions: [Region], locations: [StorageLocation], defaultRegion: RegionID) throws(SovereigntyError) {
        var problems: [String] = []
        var byID: [RegionID: Region] = [:]
        var byCode: [String: Region] = [:]
        var byCountry: [String: Region] = [:]
        for region in regions {
            if byID.updateValue(region, forKey: region.id) != nil {
                problems.append("region \(region.id) is declared twice")
            }
            if !RegionalID.isValidRegionCode(region.idCode) {
                problems.append("region \(region.id): id_code '\(region.idCode)' must be two letters and a digit, like jp1")
            } else if let other = byCode.updateValue(region, forKey: region.idCode) {
                problems.append("regions \(other.id) and \(region.id) share id_code \(region.idCode)")
            }
            if !region.residency.allowed.contains(region.jurisdiction) {
                problems.append("region \(region.id): data_residency must include its own jurisdiction \(region.jurisdiction)")
            }
            if region.role == .primary {
                for country in region.countries {
                    if let other = byCountry.updateValue(region, forKey: country.uppercased()) {
                        problems.append("country \(country) is homed in both \(other.id) and \(region.id)")
                    }
                }
            }
        }
        var locationsByID: [RegionID: StorageLocation] = [:]
        for location in locations {
            if byID[location.id] != nil || locationsByID.updateValue(location, forKey: location.id) != nil {
                problems.append("location \(location.id) is declared twice")
            }
        }
        for region in regions {
            problems += Self.problems(of: region, cells: byID, locations: locationsByID)
        }
        let primaries = Dictionary(grouping: regions.filter { $0.role == .primary }, by: \.jurisdiction)
        for jurisdiction in Set(regions.map(\.jurisdiction)) where primaries[jurisdiction]?.count != 1 {
            problems.append("jurisdiction \(jurisdiction) must have exactly one primary region, has \(primaries[jurisdiction]?.count ?? 0)")
        }
        if let region = byID[defaultRegion] {
            if region.role != .primary { problems.append("default_region \(defaultRegion) is a standby region") }
        } else {
            problems.append("default_region \(defaultRegion) is not a declared region")
        }
        if regions.isEmpty { problems.append("no region is declared") }
        guard problems.isEmpty else {
            throw SovereigntyError(.invalidConfiguration, problems.joined(separator: "; "))
        }
        self.regions = regions
        self.locations = locations
        self.defaultRegion = defaultRegion
        self.byID = byID
        self.byCode = byCode
        self.byCountry = byCountry
        self.locationsByID = locationsByID
    }

    private static func problems(
        of region: Region, cells: [RegionID: Region], locations: [RegionID: StorageLocation]
    ) -> [String] {
        var problems: [String] = []
        switch (region.role, region.standbyFor) {
        case (.standby, nil):
            problems.append("region \(region.id) is a standby without standby_for")
        case (.standby, let primary?):
            if let primary = cells[primary] {
                if primary.jurisdiction != region.jurisdiction {
                    problems.append("region \(region.id) stands by for \(primary.id) of another jurisdiction (\(primary.jurisdiction))")
                }
            } else {
                problems.append("region \(region.id) stands by for unknown region \(primary)")
            }
        case (.primary, .some):
            problems.append("region \(region.id) is a primary but names standby_for")
        case (.primary, nil):
            break
        }
        for backup in region.backups where cells[backup.target] == nil && locations[backup.target] == nil {
            problems.append("region \(region.id): backup target \(backup.target) is neither a region nor a location")
        }
        return problems
    }

    /// The cell with this name, if any.
    public func region(_ id: RegionID) -> Region? { byID[id] }

    /// The cell whose identifiers carry this code (`jp1`), if any.
    public func region(code: String) -> Region? { byCode[code.lowercased()] }

    /// The primary cell that homes residents of an ISO 3166-1 alpha-2 country, if any.
    public func region(country: String) -> Region? { byCountry[country.uppercased()] }

    /// The primary cell of a jurisdiction.
    public func primary(of jurisdiction: Jurisdiction) -> Region? {
        regions.first { $0.jurisdiction == jurisdiction && $0.role == .primary }
    }

    /// The jurisdiction of a cell or of a storage location.
    public func jurisdiction(of place: RegionID) -> Jurisdiction? {
        byID[place]?.jurisdiction ?? locationsByID[place]?.jurisdiction
    }
}
