/// A regional cell: the unit that stores and processes the personal data of one jurisdiction.
public struct Region: Sendable, Hashable, Identifiable {
    /// Whether a cell serves its jurisdiction or stands by to take over from its primary.
    public enum Role: String, Sendable, Codable, Hashable {
        case primary
        case standby
    }

    /// Where stored copies of this cell's personal data may reside.
    public struct Residency: Sendable, Hashable {
        /// Jurisdictions where copies (replicas, backups) may be kept; always includes the cell's own.
        public let allowed: [Jurisdiction]
        /// The rule as the seed document states it, e.g. "Japan only".
        public let statement: String
    }

    /// A place this cell's backups go to, with the legal bases that make a cross-border copy lawful.
    public struct BackupTarget: Sendable, Hashable {
        public let target: RegionID
        public let bases: [LegalBasis]
        /// Contract, certification or decision that evidences the bases (e.g. a DPA number).
        public let reference: String?
    }

    public let id: RegionID
    /// Short code used inside regional identifiers, e.g. `jp1`.
    public let idCode: String
    public let name: String
    public let jurisdiction: Jurisdiction
    public let role: Role
    /// For a standby cell, the primary it takes over from.
    public let standbyFor: RegionID?
    public let compliance: [String]
    public let residency: Residency
    /// ISO 3166-1 alpha-2 countries whose residents are homed in this cell.
    public let countries: [String]
    public let backups: [BackupTarget]
    public let notes: String?

    public init(
        id: RegionID, idCode: String, name: String, jurisdiction: Jurisdiction, role: Role,
        standbyFor: RegionID? = nil, compliance: [String], residency: Residency,
        countries: [String], backups: [BackupTarget], notes: String? = nil
    ) {
        self.id = id
        self.idCode = idCode
        self.name = name
        self.jurisdiction = jurisdiction
        self.role = role
        self.standbyFor = standbyFor
        self.compliance = compliance
        self.residency = residency
        self.countries = countries
        self.backups = backups
        self.notes = notes
    }
}

/// A storage location that is not a cell, such as a cloud region used as a backup target.
public struct StorageLocation: Sendable, Hashable {
    public let id: RegionID
    public let name: String
    public let jurisdiction: Jurisdiction
}
