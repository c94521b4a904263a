public import Sovereignty
internal import Logging

/// Where a cell's documents rest on an S3 service, judged against the cell's data residency.
public struct ObjectStorageResidency: Sendable, Equatable {
    public let region: RegionID
    /// The storage location the service is declared to be in (a region or location of
    /// regions.yaml); nil when undeclared (a service at an endpoint of the operator's own).
    public let location: RegionID?
    public let jurisdiction: Jurisdiction?
    /// Why the cell's documents may not rest there; nil when they may, or when it cannot be told.
    public let problem: String?

    /// Whether the location was declared and found lawful.
    public var isVerified: Bool { location != nil && problem == nil }
}

extension S3Location {
    /// Judges where `region`'s bucket rests. On AWS the S3 region is the place; with an endpoint
    /// of the operator's own (SeaweedFS, MinIO, a local provider) the place is what `--s3-location`
    /// declares, and nothing when it is not declared.
    public func residency(of region: Region, in catalog: RegionCatalog) -> ObjectStorageResidency {
        guard let location = storageLocation else {
            return ObjectStorageResidency(region: region.id, location: nil, jurisdiction: nil, problem: nil)
        }
        guard let jurisdiction = catalog.jurisdiction(of: location) else {
            return ObjectStorageResidency(region: region.id, location: location, jurisdiction: nil, problem: """
                \(region.id)'s documents would rest in S3 location \(location), which regions.yaml does not list \
                (add it under locations with its jurisdiction)
                """)
        }
        guard region.residency.allowed.contains(jurisdiction) else {
            return ObjectStorageResidency(region: region.id, location: location, jurisdiction: jurisdiction, problem: """
                \(region.id)'s documents would rest in \(jurisdiction) (S3 location \(location)), outside its data residency \
                (\(region.residency.statement)); give this region an S3 service inside it
                """)
        }
        return ObjectStorageResidency(region: region.id, location: location, jurisdiction: jurisdiction, problem: nil)
    }
}

extension ObjectStorageChoice {
    /// The residency of each region's documents; empty for the folder in the data folder, which is
    /// wherever the region's process runs.
    public func residency(of regions: [Region], in catalog: RegionCatalog) -> [ObjectStorageResidency] {
        guard case .s3(let location) = self else { return [] }
        return regions.map { location.residency(of: $0, in: catalog) }
    }

    /// Refuses a start that would put a region's documents outside its data residency.
    func checkResidency(of regions: [Region], in catalog: RegionCatalog) throws(PlatformError) {
        let problems = residency(of: regions, in: catalog).compactMap(\.problem)
        guard problems.isEmpty else { throw PlatformError(problems.joined(separator: "; ")) }
    }

    /// Says once that the documents' place is not verified when the service's location is undeclared.
    func warnIfResidencyUnverified(of regions: [Region], in catalog: RegionCatalog, logger: Logger) {
        guard residency(of: regions, in: catalog).contains(where: { $0.location == nil }) else { return }
        logger.warning("the S3 service's location is not declared (--s3-location): where documents rest is not checked against each region's data residency")
    }
}
