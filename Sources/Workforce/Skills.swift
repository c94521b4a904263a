internal import Foundation

/// Skill names are compared in a normalised form so "Welding " and "welding" are one skill.
public enum Skills {
    public static func normalise(_ skill: String) -> String {
        skill.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public static func normalise(_ skills: [String]) -> [String] {
        var seen = Set<String>()
        return skills.map(normalise).filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
