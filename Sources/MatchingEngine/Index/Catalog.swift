internal import Foundation
internal import JobService
internal import Sovereignty
internal import Workforce

/// The index's data: postings in slots, an inverted list per skill, document frequencies, and the
/// distinct eligibility facts of postings (a million postings share a few thousand).
///
/// A value type: a query copies it (cheaply, the arrays are shared) and reads without holding the
/// lock; a write made meanwhile copies only the arrays it changes.
///
/// What a query reads for every candidate (generation, kind, hours, start, language) sits in flat
/// per-slot arrays, so filtering hundreds of thousands of candidates touches no reference counts;
/// the full posting is read only for those that pass.
struct Catalog: Sendable {
    var postings: [IndexedPosting?] = []
    /// Per slot: the generation of the posting held (0: free), changed by every write, so inverted
    /// list entries of an older generation are recognised as stale.
    var generationOf: [UInt32] = []
    var kindOf: [Int32] = []
    var hoursOf: [Int16] = []
    var startDayOf: [Int32] = []
    var languageOf: [Int16] = []
    var languageRankOf: [Int8] = []
    private var nextGeneration: UInt32 = 1
    var freeSlots: [Int32] = []
    var slotOf: [UUID: Int32] = [:]
    /// Versions of postings that were closed, so a late, older copy does not bring them back.
    var closedVersions: [UUID: Int64] = [:]
    var skillIDs: [String: Int32] = [:]
    var skillNames: [String] = []
    var documentFrequency: [Int32] = []
    /// Entries `slot << 32 | generation` of postings requiring each skill. Entries whose generation is
    /// no longer the slot's are stale (the posting changed or was removed) and are skipped.
    var postingsWithSkill: [[UInt64]] = []
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
            generationOf.append(0)
            kindOf.append(-1)
            hoursOf.append(-1)
            startDayOf.append(-1)
            languageOf.append(-1)
            languageRankOf.append(0)
        }
        let generation = nextGeneration
        nextGeneration = nextGeneration == UInt32.max ? 1 : nextGeneration + 1
        let index = Int(slot)
        generationOf[index] = generation
        kindOf[index] = posting.kind
        hoursOf[index] = posting.weeklyHours
        startDayOf[index] = posting.startDay
        languageOf[index] = posting.language
        languageRankOf[index] = posting.languageRank
        slotOf[uuid] = slot
        liveCount += 1
        if skills.isEmpty { withoutSkills.insert(slot) }
        for skill in skills {
            documentFrequency[Int(skill)] += 1
            postingsWithSkill[Int(skill)].append(UInt64(UInt32(bitPattern: slot)) << 32 | UInt64(generation))
            compactIfStale(skill)
        }
    }

    mutating func remove(_ uuid: UUID) {
        guard let slot = slotOf.removeValue(forKey: uuid), let posting = postings[Int(slot)] else { return }
        for skill in posting.skills { documentFrequency[Int(skill)] -= 1 }
        withoutSkills.remove(slot)
        postings[Int(slot)] = nil
        generationOf[Int(slot)] = 0
        kindOf[Int(slot)] = -1
        freeSlots.append(slot)
        liveCount -= 1
    }

    /// Drops stale entries of a skill's list once they outnumber the live ones.
    private mutating func compactIfStale(_ skill: Int32) {
        let list = postingsWithSkill[Int(skill)]
        guard list.count > 2 * Int(documentFrequency[Int(skill)]) + 16 else { return }
        postingsWithSkill[Int(skill)] = list.filter(isCurrent)
    }

    /// Whether an inverted-list entry still describes the posting in its slot.
    @inline(__always)
    func isCurrent(_ entry: UInt64) -> Bool {
        generationOf[Int(entry >> 32)] == UInt32(truncatingIfNeeded: entry)
    }
}
