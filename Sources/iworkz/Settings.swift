import Configuration

/// Settings not given as flags come from `IWORKZ_*` environment variables (via swift-configuration,
/// so a file provider can be layered in later), then from defaults.
struct Settings {
    private let reader: ConfigReader

    init(environment: EnvironmentVariablesProvider = EnvironmentVariablesProvider()) {
        reader = ConfigReader(providers: [environment]).scoped(to: "iworkz")
    }

    /// `key` is camel-case: `dataDir` reads `IWORKZ_DATA_DIR`.
    func string(_ key: String) -> String? { reader.string(forKey: ConfigKey(key)) }
    func int(_ key: String) -> Int? { reader.int(forKey: ConfigKey(key)) }
    func bool(_ key: String) -> Bool? { reader.bool(forKey: ConfigKey(key)) }
    func double(_ key: String) -> Double? { reader.double(forKey: ConfigKey(key)) }
}
