internal import Yams

extension RegionCatalog {
    /// Parses and validates the text of `regions.yaml`.
    public init(yaml: String) throws(SovereigntyError) {
        let document: RegionsDocument
        do {
            document = try YAMLDecoder().decode(RegionsDocument.self, from: yaml)
        } catch {
            throw SovereigntyError(.malformedDocument, "regions file: \(YAMLErrorText.describe(error))")
        }
        let regions = document.regions.map { entry in
            Region(
                id: entry.id, idCode: entry.idCode, name: entry.name, jurisdiction: entry.jurisdiction,
                role: entry.role ?? .primary, standbyFor: entry.standbyFor, compliance: entry.compliance ?? [],
                residency: .init(
                    allowed: entry.dataResidency.jurisdictions,
                    statement: entry.dataResidency.statement ?? entry.dataResidency.jurisdictions.map(\.code).joined(separator: "/")
                ),
                countries: entry.countries ?? [],
                backups: (entry.backups ?? []).map { .init(target: $0.target, bases: $0.bases ?? [], reference: $0.reference) },
                notes: entry.notes
            )
        }
        let locations = (document.locations ?? []).map {
            StorageLocation(id: $0.id, name: $0.name ?? $0.id.rawValue, jurisdiction: $0.jurisdiction)
        }
        try self.init(regions: regions, locations: locations, defaultRegion: document.defaultRegion)
    }
}

private struct RegionsDocument: Decodable {
    struct Entry: Decodable {
        let id: RegionID
        let idCode: String
        let name: String
        let jurisdiction: Jurisdiction
        let role: Region.Role?
        let standbyFor: RegionID?
        let compliance: [String]?
        let dataResidency: ResidencyEntry
        let countries: [String]?
        let backups: [BackupEntry]?
        let notes: String?

        enum CodingKeys: String, CodingKey {
            case id, name, jurisdiction, role, compliance, countries, backups, notes
            case idCode = "id_code"
            case standbyFor = "standby_for"
            case dataResidency = "data_residency"
        }
    }

    struct ResidencyEntry: Decodable {
        let jurisdictions: [Jurisdiction]
        let statement: String?
    }

    struct BackupEntry: Decodable {
        let target: RegionID
        let bases: [LegalBasis]?
        let reference: String?
    }

    struct LocationEntry: Decodable {
        let id: RegionID
        let name: String?
        let jurisdiction: Jurisdiction
    }

    let defaultRegion: RegionID
    let regions: [Entry]
    let locations: [LocationEntry]?

    enum CodingKeys: String, CodingKey {
        case regions, locations
        case defaultRegion = "default_region"
    }
}

/// Turns a decoding error into one line that names the offending path.
package enum YAMLErrorText {
    package static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(path(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return "invalid value at \(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
    }
}
