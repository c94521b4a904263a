public import Logging
public import Sovereignty
public import Storage

/// Where the cells keep their records: a SQLite file per region in the data folder (the embedded
/// default), or a PostgreSQL database per region (`--database-url postgres://…/iworkz_{region}`).
public enum DatabaseChoice: Sendable {
    case sqlite
    case postgres(PostgresDeployment)

    /// Checks the URLs of every region once, so a bad URL stops the start with one line.
    public func check(regions: [RegionID]) throws(PlatformError) {
        guard case .postgres(let deployment) = self else { return }
        try deployment.check(regions: regions)
    }

    /// The PostgreSQL database of `region`; nil for SQLite.
    public func location(for region: RegionID) throws(PostgresLocationError) -> PostgresLocation? {
        guard case .postgres(let deployment) = self else { return nil }
        return try deployment.primary(for: region)
    }

    /// Opens (creating it when asked) and migrates the database of `region`.
    func open(region: RegionID, folder: DataFolder, migrations: [Migration], logger: Logger) async throws -> any RegionalDatabase {
        switch self {
        case .sqlite:
            return try await SQLiteCellDatabase.open(path: folder.databasePath(for: region), migrations: migrations, logger: logger)
        case .postgres(let deployment):
            return try await deployment.open(region: region, migrations: migrations, logger: logger)
        }
    }
}

/// A region's PostgreSQL databases: the primary and its read replicas, each named by a URL
/// template in which `{region}` stands for the region's id with `_` for `-`.
public struct PostgresDeployment: Sendable {
    /// `postgres://…/iworkz_{region}?sslmode=…`.
    public var primary: String
    /// Read replicas of the primary, same form; reads go to one whose lag is under `maxReplicaLag`.
    public var replicas: [String]
    /// The seed's bound: 5 s.
    public var maxReplicaLag: Duration
    /// Creates a region's database when the server lacks it.
    public var createDatabase: Bool
    /// False refuses a database that lacks migrations (`iworkz migrate` applies them).
    public var migrateAtStart: Bool

    public init(primary: String, replicas: [String] = [], maxReplicaLag: Duration = .seconds(5), createDatabase: Bool = false,
                migrateAtStart: Bool = true) {
        self.primary = primary
        self.replicas = replicas
        self.maxReplicaLag = maxReplicaLag
        self.createDatabase = createDatabase
        self.migrateAtStart = migrateAtStart
    }

    func check(regions: [RegionID]) throws(PlatformError) {
        for (name, template) in [("database URL", primary)] + replicas.map({ ("replica URL", $0) }) {
            do { _ = try PostgresLocation(url: PostgresLocation.url(template: template, region: "jp-tokyo")) } catch {
                throw PlatformError("\(name): \(error.description)")
            }
            if regions.count > 1, !template.contains("{region}") {
                throw PlatformError("one database for several regions would mix their people: put {region} in the \(name)'s name (…/iworkz_{region})")
            }
        }
    }

    func primary(for region: RegionID) throws(PostgresLocationError) -> PostgresLocation {
        try PostgresLocation(url: PostgresLocation.url(template: primary, region: region.rawValue))
    }

    func open(region: RegionID, migrations: [Migration], logger: Logger) async throws -> PostgresCellDatabase {
        let location: PostgresLocation
        let replicaLocations: [PostgresLocation]
        do throws(PostgresLocationError) {
            location = try primary(for: region)
            replicaLocations = try replicas.map { template throws(PostgresLocationError) in
                try PostgresLocation(url: PostgresLocation.url(template: template, region: region.rawValue))
            }
        } catch {
            throw PlatformError("database URL of \(region): \(error.description)")
        }
        do {
            if createDatabase, try await PostgresCellDatabase.createIfMissing(location, logger: logger) {
                logger.notice("created the region's database", metadata: ["region": "\(region)", "database": "\(location.database)"])
            }
            return try await PostgresCellDatabase.open(location: location, replicas: replicaLocations, maxReplicaLag: maxReplicaLag,
                                                       migrations: migrations, logger: logger, applyMigrations: migrateAtStart)
        } catch let error as MigrationsPending {
            throw PlatformError("\(region): \(error.description)")
        } catch {
            throw PlatformError("cannot open the database of \(region) at \(location): \(PostgresCellDatabase.describe(error))")
        }
    }
}

extension DatabaseChoice {
    /// The database of `region` as it is — neither created nor migrated, replicas aside — for tools
    /// that only read it (`iworkz audit verify`).
    public func openExisting(region: RegionID, folder: DataFolder, logger: Logger) async throws -> any RegionalDatabase {
        switch self {
        case .sqlite:
            return try await SQLiteCellDatabase.open(path: folder.databasePath(for: region), migrations: [], logger: logger)
        case .postgres(var deployment):
            deployment.replicas = []
            deployment.createDatabase = false
            return try await deployment.open(region: region, migrations: [], logger: logger)
        }
    }

    /// Brings the database of `region` to the schema this build needs (creating it first when the
    /// choice says so); returns the migrations it applied. `iworkz migrate` runs this.
    public func migrate(region: RegionID, folder: DataFolder, logger: Logger) async throws -> [String] {
        // Opened without migrating, so what this call applies is what it reports.
        let database: any RegionalDatabase
        switch self {
        case .sqlite:
            database = try await SQLiteCellDatabase.open(path: folder.databasePath(for: region), migrations: [], logger: logger)
        case .postgres(var deployment):
            deployment.replicas = []
            database = try await deployment.open(region: region, migrations: [], logger: logger)
        }
        do {
            let applied = try await database.migrate(Cell.migrations)
            try await database.close()
            return applied
        } catch {
            try? await database.close()
            throw PlatformError("cannot migrate the database of \(region): \(PostgresCellDatabase.describe(error))")
        }
    }
}
