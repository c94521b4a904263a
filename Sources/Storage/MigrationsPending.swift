/// A database that lacks migrations the code needs, opened where migrating at start is off.
public struct MigrationsPending: Error, CustomStringConvertible {
    public let database: String
    public let ids: [String]

    public var description: String {
        "the database \(database) lacks \(ids.count) migration(s) (\(ids.prefix(3).joined(separator: ", "))\(ids.count > 3 ? ", …" : "")): run `iworkz migrate`"
    }
}
