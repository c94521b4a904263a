public import Sovereignty

/// What a service needs to know about the cell it runs in: its region and the catalog, so it can
/// refuse records that belong elsewhere.
public struct CellIdentity: Sendable {
    public let region: Region
    public let catalog: RegionCatalog

    public init(region: Region, catalog: RegionCatalog) {
        self.region = region
        self.catalog = catalog
    }

    /// Throws `wrong-cell` unless the id's home is this cell (or, for a primary, its standby's code,
    /// which the primary serves while the standby is passive).
    public func requireHome(_ id: RegionalID) throws(Problem) {
        guard let home = catalog.region(code: id.regionCode) else {
            throw Problem.unknownRegion("identifier names region code \(id.regionCode), which is not configured")
        }
        guard servedRegion(for: home) == region.id else {
            throw Problem.wrongCell("\(id.kind.rawValue) \(id) belongs to \(home.id); this is \(region.id)")
        }
    }

    /// The cell that serves a region's records: the jurisdiction's primary for a standby.
    public func servedRegion(for home: Region) -> RegionID {
        if home.role == .standby, let primary = home.standbyFor { return primary }
        return home.id
    }
}
