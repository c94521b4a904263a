public import Foundation
public import Gateway
public import Sovereignty
public import WebFirewall
public import MatchingEngine
public import AgentService
public import Transfers
public import Workforce
public import UserService

/// What matching needs: the eligibility rules, the skills taxonomy and the scoring settings.
public struct MatchingSetup: Sendable {
    public var rules: EligibilityRules
    public var taxonomy: SkillTaxonomy
    public var configuration: MatchingConfiguration
}

/// The configuration files, parsed and checked against each other.
public struct LoadedConfiguration: Sendable {
    public let directory: URL
    public let catalog: RegionCatalog
    /// The transfer rules (`transfer-rules.yaml`); tests may replace them before start, as an operator edits the file.
    public var policy: TransferPolicy
    public let routes: RouteTable
    /// Rate-limit policies; tests and operators may replace them before start.
    public var rateLimits: RateLimitConfiguration
    /// The firewall; nil when no waf-rules.yaml is present.
    public var firewall: WebFirewall?
    /// Load shedding, connection cap and read deadlines (`server.yaml`; defaults when absent).
    public var limits: ServerLimits
    /// Eligibility rules, skills taxonomy and scoring weights (`eligibility-rules.yaml`, `skills.yaml`, `matching.yaml`).
    public var matching: MatchingSetup
    /// What the ai-agent's job-ad review checks (`job-ad-rules.yaml`, `minimum-wages.yaml`).
    public var jobAdRules: JobAdRules
    /// Why personal data may be transferred, the minimum sent, and the notices (`transfers.yaml`).
    public var transferPurposes: TransferPurposes
    /// Document kinds, types, size limit and lifecycle (`documents.yaml`).
    public var documents: DocumentPolicy
    /// The optional language model for summaries (`agent.yaml`); nil keeps the agent offline.
    public var languageModel: LanguageModelSettings?
    /// The OAuth clients file's text (parsed at start, when the secrets folder is known).
    public var oauthClientsYAML: String
    /// How employers' company identifiers are checked (`employers.yaml`).
    public var corporateNumbers: CorporateNumbers

    /// Reads and validates the files; the compliance check is the caller's choice.
    public static func load(from directory: URL) throws(PlatformError) -> LoadedConfiguration {
        func read(_ name: String) throws(PlatformError) -> String {
            do {
                return try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            } catch {
                throw PlatformError("cannot read \(directory.appendingPathComponent(name).path)")
            }
        }
        do {
            return LoadedConfiguration(
                directory: directory,
                catalog: try RegionCatalog(yaml: read("regions.yaml")),
                policy: try TransferPolicy(yaml: read("transfer-rules.yaml")),
                routes: try RouteTable(yaml: read("routes.yaml")),
                rateLimits: FileManager.default.fileExists(atPath: directory.appendingPathComponent("rate-limits.yaml").path)
                    ? try RateLimitConfiguration(yaml: read("rate-limits.yaml")) : RateLimitConfiguration(policies: []),
                firewall: FileManager.default.fileExists(atPath: directory.appendingPathComponent("waf-rules.yaml").path)
                    ? try WebFirewall(yaml: read("waf-rules.yaml")) : nil,
                limits: FileManager.default.fileExists(atPath: directory.appendingPathComponent("server.yaml").path)
                    ? try ServerLimits(yaml: read("server.yaml")) : ServerLimits(),
                matching: MatchingSetup(
                    rules: try EligibilityRules(yaml: read("eligibility-rules.yaml")),
                    taxonomy: try SkillTaxonomy(yaml: read("skills.yaml")),
                    configuration: try MatchingConfiguration(yaml: read("matching.yaml"))),
                jobAdRules: try JobAdRules(rulesYAML: read("job-ad-rules.yaml"), wagesYAML: read("minimum-wages.yaml")),
                transferPurposes: try TransferPurposes(yaml: read("transfers.yaml")),
                documents: try DocumentPolicy(yaml: read("documents.yaml")),
                languageModel: FileManager.default.fileExists(atPath: directory.appendingPathComponent("agent.yaml").path)
                    ? try LanguageModelSettings.parse(yaml: read("agent.yaml")) : nil,
                oauthClientsYAML: FileManager.default.fileExists(atPath: directory.appendingPathComponent("oauth-clients.yaml").path)
                    ? try read("oauth-clients.yaml") : "clients: []\n",
                corporateNumbers: try CorporateNumbers(yaml: read("employers.yaml")))
        } catch let error as PlatformError {
            throw error
        } catch let error as FirewallConfigurationError {
            throw PlatformError(error.description)
        } catch let error as GatewayConfigurationError {
            throw PlatformError(error.message)
        } catch let error as EligibilityRulesError {
            throw PlatformError(error.description)
        } catch let error as SkillTaxonomyError {
            throw PlatformError(error.description)
        } catch let error as TransfersConfigurationError {
            throw PlatformError(error.description)
        } catch let error as JobAdRulesError {
            throw PlatformError(error.description)
        } catch let error as AgentConfigurationError {
            throw PlatformError(error.description)
        } catch let error as DocumentPolicyError {
            throw PlatformError(error.description)
        } catch let error as MatchingConfigurationError {
            throw PlatformError(error.description)
        } catch let error as UserConfigurationError {
            throw PlatformError(error.message)
        } catch let error as SovereigntyError {
            throw PlatformError(error.message)
        } catch {
            throw PlatformError("\(error)")
        }
    }

    /// Every table of legal data, with the day it is due for a new check against the law.
    public var legalDataRevisions: [LegalDataRevision] {
        [policy.revision].compactMap { $0 } + [matching.rules.revision, jobAdRules.revision] + jobAdRules.minimumWages.map(\.revision)
    }

    /// The compliance findings for this configuration under the rules in force on `day` (`YYYY-MM-DD`).
    public func compliance(on day: String) -> ComplianceCheck { ComplianceCheck(catalog: catalog, policy: policy, day: day) }
}
