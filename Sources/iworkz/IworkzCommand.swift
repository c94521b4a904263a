import ArgumentParser

/// `iworkz`: the iWORKZ platform and its operations tools.
@main
struct IworkzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iworkz",
        abstract: "The iWORKZ job-matching platform: sovereign regional cells behind one API gateway.",
        discussion: """
            Start with `iworkz serve --demo`: it runs the gateway and one cell per region of \
            config/regions.yaml on embedded SQLite databases, with sample employers, jobs and workers.
            """,
        subcommands: [ServeCommand.self, RegionsCommand.self, ComplianceCommand.self, KeysCommand.self, CertsCommand.self, AuditCommand.self, MigrateCommand.self, EmployersCommand.self, OpenAPICommand.self]
    )
}

/// Options every command that reads configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config-dir"),
            help: ArgumentHelp("Folder with regions.yaml, transfer-rules.yaml and routes.yaml (env IWORKZ_CONFIG_DIR).",
                               valueName: "path"))
    var configDirectory: String?
}
