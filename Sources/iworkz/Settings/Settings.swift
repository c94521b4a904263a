import Configuration
import Foundation
import Synchronization
import SystemPackage

/// One process's settings, read through a single swift-configuration `ConfigReader` in this order:
/// command-line flags, then `IWORKZ_*` environment variables, then the settings file
/// (`--settings FILE` or `IWORKZ_SETTINGS`: YAML with the same keys, `port: 8443`), then the
/// default of the component that reads the key.
///
/// Keys are camel case: `dataDir` is `--data-dir`, `IWORKZ_DATA_DIR` and `dataDir:` in the file.
/// Each component reads its own keys (``ListenerSettings``, ``ObservabilitySettings``,
/// ``InternalTransportSettings``, ``RoleSettings``, ``EdgeSettings``), and a value that is present but
/// unusable is recorded in ``problems`` instead of stopping at the first, so that a start can name
/// every problem in one message.
final class Settings: Sendable {
    private let reader: ConfigReader
    private let found = Mutex<[String]>([])

    /// - Parameters:
    ///   - flags: the command line's values by key (only those given).
    ///   - environment: the process's environment.
    ///   - file: the settings file's provider, when one is given.
    init(flags: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment,
         file: FileProvider<YAMLSnapshot>? = nil) {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: Dictionary(uniqueKeysWithValues: flags.map { key, value in
                (AbsoluteConfigKey(["iworkz", key]), ConfigValue(.string(value), isSecret: false))
            })),
            EnvironmentVariablesProvider(environmentVariables: environment),
        ]
        // The file's keys have no `iworkz` prefix: `port: 8443`, not `iworkz: { port: 8443 }`.
        if let file { providers.append(KeyMappingProvider(upstream: file) { AbsoluteConfigKey(Array($0.components.dropFirst())) }) }
        reader = ConfigReader(providers: providers).scoped(to: "iworkz")
    }

    /// Settings with the settings file named by `--settings` or `IWORKZ_SETTINGS`, if any.
    static func load(flags: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> Settings {
        let bare = Settings(flags: flags, environment: environment)
        guard let path = bare.string("settings") else { return bare }
        guard FileManager.default.isReadableFile(atPath: path) else { throw Failure("cannot read the settings file \(path)") }
        do {
            let file = try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
            return Settings(flags: flags, environment: environment, file: file)
        } catch {
            throw Failure("the settings file \(path) is not a YAML mapping of settings: \(error)")
        }
    }

    /// Every unusable value read so far, each naming the key and where it can be set.
    var problems: [String] { found.withLock { $0 } }

    func problem(_ key: String, _ what: String) {
        add("\(key) (\(Self.sources(of: key))) \(what)")
    }

    /// A problem not tied to one key (a file that cannot be read, a missing certificate).
    func add(_ problem: String) {
        found.withLock { $0.append(problem) }
    }

    /// The flag and variable that set `key`: `--data-dir, IWORKZ_DATA_DIR`.
    static func sources(of key: String) -> String {
        var words: [String] = []
        var word = ""
        for character in key {
            if character.isUppercase, !word.isEmpty {
                words.append(word)
                word = ""
            }
            word.append(character.lowercased())
        }
        words.append(word)
        return "--\(words.joined(separator: "-")), IWORKZ_\(words.joined(separator: "_").uppercased())"
    }

    func string(_ key: String) -> String? {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return nil }
        return text.isEmpty ? nil : text
    }

    /// A whole number, within `range` when given.
    func int(_ key: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range?.contains(value) ?? true else {
            problem(key, "must be a whole number\(range.map { " from \($0.lowerBound) to \($0.upperBound)" } ?? ""), not \(text.prefix(40))")
            return nil
        }
        return value
    }

    func double(_ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
            problem(key, "must be a number from \(range.lowerBound) to \(range.upperBound), not \(text.prefix(40))")
            return nil
        }
        return value
    }

    func bool(_ key: String) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default:
            problem(key, "must be true or false, not \(text.prefix(40))")
            return nil
        }
    }
}
