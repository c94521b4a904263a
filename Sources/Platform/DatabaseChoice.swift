public import Logging
public import Sovereignty
public import Storage

/// Where the cells keep their records: a SQLite file per region in the data folder (the embedded
/// default), or a PostgreSQL database per region (`--database-url postgres://…/iworkz_{region}`).
public enum DatabaseChoice: Sendable {
    case sqlite
    /// `template` is a `postgres://` URL in which `{region}` stands for the region's id with `_`
    /// for `-`; `createDatabase` creates a region's database when the server lacks it;
    /// `migrateAtStart` false refuses a database that lacks migrations (`iworkz migrate` applies them).
    case postgres(template: String, createDatabase: Bool = false, migrateAtStart: Bool = true)

    /// Checks the URL of every region once, so a bad URL stops the start with one line.
    public func check(regions: [RegionID]) throws(PlatformError) {
        guard case .postgres(let template, _, _) = self else { return }
        do { _ = try PostgresLocation(url: PostgresLocation.url(template: template, region: "jp-tokyo")) } catch {
            throw PlatformError("database URL: \(error.description)")
        }
        if regions.count > 1, !template.contains("{region}") {
            throw PlatformError("one database for several regions would mix their people: put {region} in the database URL's name (…/iworkz_{region})")
        }
        for region in regions {
            do { _ = try location(for: region) } catch { throw PlatformError("database URL: \(error.description)") }
        }
    }

    /// The PostgreSQL database of `region`; nil for SQLite.
    public func location(for region: RegionID) throws(PostgresLocationError) -> PostgresLocation? {
        guard case .postgres(let template, _, _) = self else { return nil }
        return try PostgresLocation(url: PostgresLocation.url(template: template, region: region.rawValue))
    }

    /// Opens (creating it when asked) and migrates the database of `region`.
    func open(region: RegionID, folder: DataFolder, migrations: [Migration], logger: Logger) async throws -> any RegionalDatabase {
        switch self {
        case .sqlite:
            return try await SQLiteCellDatabase.open(path: folder.databasePath(for: region), migrations: migrations, logger: logger)
        case .postgres(_, let createDatabase, let migrateAtStart):
            let location: PostgresLocation
            do throws(PostgresLocationError) {
                guard let found = try self.location(for: region) else { throw PostgresLocationError("no database URL") }
                location = found
            } catch {
                throw PlatformError("database URL of \(region): \(error.description)")
            }
            do {
                if createDatabase, try await PostgresCellDatabase.createIfMissing(location, logger: logger) {
                    logger.notice("created the region's database", metadata: ["region": "\(region)", "database": "\(location.database)"])
                }
                return try await PostgresCellDatabase.open(location: location, migrations: migrations, logger: logger,
                                                           applyMigrations: migrateAtStart)
            } catch let error as MigrationsPending {
                throw PlatformError("\(region): \(error.description)")
            } catch {
                throw PlatformError("cannot open the database of \(region) at \(location): \(PostgresCellDatabase.describe(error))")
            }
        }
    }
}

extension DatabaseChoice {
    /// Brings the database of `region` to the schema this build needs (creating it first when the
    /// choice says so); returns the migrations it applied. `iworkz migrate` runs this.
    public func migrate(region: RegionID, folder: DataFolder, logger: Logger) async throws -> [String] {
        var applying = self
        if case .postgres(let template, let create, _) = self { applying = .postgres(template: template, createDatabase: create, migrateAtStart: false) }
        // Opened without migrating, so what this call applies is what it reports.
        let database = try await applying.open(region: region, folder: folder, migrations: [], logger: logger)
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
