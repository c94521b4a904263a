internal import Foundation
internal import JobService
internal import Sovereignty
internal import Workforce

/// The index's data: postings in slots, an inverted list per skill, document frequencies, and the
/// distinct eligibility facts of postings (a million postings share a few thousand).
///
/// A value type: a query copies it (cheaply, the arrays are shared) and reads without holding the
/// lock; a write made meanwhile copies only the arrays it changes.
struct Catalog: Sendable {
    var postings: [IndexedPosting?] = []
    var freeSlots: [Int32] = []
    var slotOf: [UUID: Int32] = [:]
    /// Versions of postings that were closed, so a late, older copy does not bring them back.
    var closedVersions: [UUID: Int64] = [:]
    var skillIDs: [String: Int32] = [:]
    var skillNames: [String] = []
    var documentFrequency: [Int32] = []
    /// Slots of postings requiring each skill. Entries may be stale (slot reused or posting changed);
    /// readers check the posting still lists the skill.
    var postingsWithSkill: [[Int32]] = []
    var withoutSkills: Set<Int32> = []
    var kinds: [OpeningKind] = []
    var kindIDs: [OpeningKind: Int32] = [:]
    var languageIDs: [String: Int16] = [:]
    var languageCodes: [String] = []
    var names: [String: Int32] = [:]
    var liveCount = 0

    func skillID(_ name: String) -> Int32? { skillIDs[name] }

    func nameID(_ name: String?) -> Int32 {
        name.flatMap { names[$0.lowercased()] } ?? -1
    }

    mutating func intern(name: String?) -> Int32 {
        guard let key = name?.lowercased(), !key.isEmpty else { return -1 }
        if let id = names[key] { return id }
        let id = Int32(names.count)
        names[key] = id
        return id
    }

    mutating func intern(skill: String) -> Int32 {
        if let id = skillIDs[skill] { return id }
        let id = Int32(skillNames.count)
        skillIDs[skill] = id
        skillNames.append(skill)
        documentFrequency.append(0)
        postingsWithSkill.append([])
        return id
    }

    mutating func intern(kind: OpeningKind) -> Int32 {
        if let id = kindIDs[kind] { return id }
        let id = Int32(kinds.count)
        kindIDs[kind] = id
        kinds.append(kind)
        return id
    }

    mutating func intern(language: String) -> Int16 {
        if let id = languageIDs[language] { return id }
        let id = Int16(languageCodes.count)
        languageIDs[language] = id
        languageCodes.append(language)
        return id
    }

    /// Adds, replaces or (for a closed posting) removes a job; an older version than the one held is ignored.
    mutating func upsert(_ job: Job, taxonomy: SkillTaxonomy, configuration: MatchingConfiguration) {
        guard let uuid = UUID(uuidString: job.id.uuid) else { return }
        let version = CompactTime.version(job.updatedAt)
        if let slot = slotOf[uuid], let held = postings[Int(slot)], held.version >= version { return }
        if let closed = closedVersions[uuid], closed >= version { return }
        remove(uuid)
        guard job.status == .open else {
            closedVersions[uuid] = version
            return
        }
        closedVersions[uuid] = nil
        let content = job.content
        var skills: [Int32] = []
        for name in content.requiredSkills {
            let id = intern(skill: taxonomy.canonical(name))
            if !skills.contains(id) { skills.append(id) }
        }
        let kind = OpeningKind(
            isOpen: true, country: content.location.country, field: content.field, employmentType: content.employmentType,
            listedStatuses: content.eligibleResidenceStatuses.sorted(), sponsorsVisa: content.visaSponsorship ?? false)
        let minimum = content.minimumLanguage
        let posting = IndexedPosting(
            uuid: uuid, idKind: job.id.kind, regionCode: job.id.regionCode, version: version,
            createdDay: CompactTime.day(job.createdAt) ?? 0, skills: skills, kind: intern(kind: kind),
            weeklyHours: Int16(clamping: content.weeklyHours ?? -1), startDay: content.startDate.flatMap(CompactTime.day) ?? -1,
            language: minimum.map { intern(language: $0.language) } ?? -1,
            // A level no test recognises can never be met.
            languageRank: Int8(clamping: minimum.map { $0.rank ?? Int(Int8.max) } ?? 0),
            country: content.location.country, prefecture: intern(name: content.location.prefecture),
            city: intern(name: content.location.city),
            commuteRegion: intern(name: configuration.commuteRegion(country: content.location.country, prefecture: content.location.prefecture)),
            salary: content.salary)
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
            postings[Int(slot)] = posting
        } else {
            slot = Int32(postings.count)
            postings.append(posting)
        }
        slotOf[uuid] = slot
        liveCount += 1
        if skills.isEmpty { withoutSkills.insert(slot) }
        for skill in skills {
            documentFrequency[Int(skill)] += 1
            postingsWithSkill[Int(skill)].append(slot)
            compactIfStale(skill)
        }
    }

    mutating func remove(_ uuid: UUID) {
        guard let slot = slotOf.removeValue(forKey: uuid), let posting = postings[Int(slot)] else { return }
        for skill in posting.skills { documentFrequency[Int(skill)] -= 1 }
        withoutSkills.remove(slot)
        postings[Int(slot)] = nil
        freeSlots.append(slot)
        liveCount -= 1
    }

    /// Drops stale entries of a skill's list once they outnumber the live ones.
    private mutating func compactIfStale(_ skill: Int32) {
        let list = postingsWithSkill[Int(skill)]
        guard list.count > 2 * Int(documentFrequency[Int(skill)]) + 16 else { return }
        var seen = Set<Int32>()
        postingsWithSkill[Int(skill)] = list.filter { slot in
            guard let posting = postings[Int(slot)], posting.skills.contains(skill) else { return false }
            return seen.insert(slot).inserted
        }
    }

    /// Whether the slot holds a live posting that requires the skill.
    func requires(_ slot: Int32, _ skill: Int32) -> Bool {
        postings[Int(slot)]?.skills.contains(skill) == true
    }
}
