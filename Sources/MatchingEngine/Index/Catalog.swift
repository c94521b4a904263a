internal import Foundation
internal import JobService
internal import Sovereignty
internal import Workforce

/// The index's data, laid out by column: one array per fact, indexed by slot, so scanning hundreds
/// of thousands of candidates reads compact numbers and touches no reference counts. Inverted lists
/// hold `slot << 32 | kind` per posting requiring a skill, so a candidate of an ineligible kind is
/// dropped without reading anything else about it.
///
/// A value type: a query copies it (cheaply, the arrays are shared) and reads without holding the
/// lock; a write made meanwhile copies only the arrays it changes.
struct Catalog: Sendable {
    // Per slot. A free slot has kind -1.
    var uuidOf: [UUID] = []
    var idKindOf: [RegionalID.Kind] = []
    var regionCodeOf: [String] = []
    /// `updated_at` as a number that sorts like the timestamp, to keep only the newest version.
    var versionOf: [Int64] = []
    /// Days since 1970 of `created_at`, for recency.
    var createdDayOf: [Int32] = []
    /// Interned eligibility facts shared by many postings (an ``OpeningKind``).
    var kindOf: [Int32] = []
    /// Weekly hours; -1 when the posting does not say.
    var hoursOf: [Int16] = []
    /// Days since 1970 of the start date; -1 for as soon as possible.
    var startDayOf: [Int32] = []
    /// Interned language of the minimum level (-1: none) and the level's rank.
    var languageOf: [Int16] = []
    var languageRankOf: [Int8] = []
    /// Interned lowercased place names; -1 when absent.
    var countryOf: [Int32] = []
    var prefectureOf: [Int32] = []
    var cityOf: [Int32] = []
    var commuteOf: [Int32] = []
    /// The top of the pay range (-1: none) and its interned `currency|period`.
    var salaryMaxOf: [Int64] = []
    var salaryUnitOf: [Int32] = []
    /// The posting's skills: `skillCountOf[slot]` ids from `skillPool[skillStartOf[slot]]`.
    var skillStartOf: [Int32] = []
    var skillCountOf: [UInt8] = []
    var skillPool: [Int32] = []
    private var poolGarbage = 0

    var freeSlots: [Int32] = []
    var slotOf: [UUID: Int32] = [:]
    /// Versions of postings that were closed, so a late, older copy does not bring them back.
    var closedVersions: [UUID: Int64] = [:]
    var skillIDs: [String: Int32] = [:]
    var skillNames: [String] = []
    var documentFrequency: [Int32] = []
    var postingsWithSkill: [[UInt64]] = []
    var withoutSkills: Set<Int32> = []
    var kinds: [OpeningKind] = []
    var kindIDs: [OpeningKind: Int32] = [:]
    var languageIDs: [String: Int16] = [:]
    var languageCodes: [String] = []
    var names: [String: Int32] = [:]
    var liveCount = 0

    var slotCount: Int { kindOf.count }

    func skillID(_ name: String) -> Int32? { skillIDs[name] }

    func nameID(_ name: String?) -> Int32 {
        name.flatMap { names[$0.lowercased()] } ?? -1
    }

    func skills(of slot: Int) -> ArraySlice<Int32> {
        let start = Int(skillStartOf[slot])
        return skillPool[start..<start + Int(skillCountOf[slot])]
    }

    func id(of slot: Int) -> RegionalID? {
        RegionalID("\(idKindOf[slot].rawValue)_\(regionCodeOf[slot])_\(uuidOf[slot].uuidString.lowercased())")
    }

    /// The posting's pay range top in `unit`, if it has one in that currency and period.
    func salaryMax(of slot: Int) -> (amount: Int64, unit: Int32)? {
        salaryMaxOf[slot] >= 0 ? (salaryMaxOf[slot], salaryUnitOf[slot]) : nil
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
        if let slot = slotOf[uuid], versionOf[Int(slot)] >= version { return }
        if let closed = closedVersions[uuid], closed >= version { return }
        remove(uuid)
        guard job.status == .open else {
            closedVersions[uuid] = version
            return
        }
        closedVersions[uuid] = nil
        let content = job.content
        var skills: [Int32] = []
        for name in content.requiredSkills.prefix(Int(UInt8.max)) {
            let id = intern(skill: taxonomy.canonical(name))
            if !skills.contains(id) { skills.append(id) }
        }
        let kind = intern(kind: OpeningKind(
            isOpen: true, country: content.location.country, field: content.field, employmentType: content.employmentType,
            listedStatuses: content.eligibleResidenceStatuses.sorted(), sponsorsVisa: content.visaSponsorship ?? false))
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = Int(reused)
        } else {
            slot = slotCount
            uuidOf.append(uuid); idKindOf.append(.job); regionCodeOf.append(""); versionOf.append(0); createdDayOf.append(0)
            kindOf.append(-1); hoursOf.append(-1); startDayOf.append(-1); languageOf.append(-1); languageRankOf.append(0)
            countryOf.append(-1); prefectureOf.append(-1); cityOf.append(-1); commuteOf.append(-1)
            salaryMaxOf.append(-1); salaryUnitOf.append(-1); skillStartOf.append(0); skillCountOf.append(0)
        }
        let place = content.location, minimum = content.minimumLanguage
        uuidOf[slot] = uuid
        idKindOf[slot] = job.id.kind
        regionCodeOf[slot] = job.id.regionCode
        versionOf[slot] = version
        createdDayOf[slot] = CompactTime.day(job.createdAt) ?? 0
        kindOf[slot] = kind
        hoursOf[slot] = Int16(clamping: content.weeklyHours ?? -1)
        startDayOf[slot] = content.startDate.flatMap(CompactTime.day) ?? -1
        languageOf[slot] = minimum.map { intern(language: $0.language) } ?? -1
        // A level no test recognises can never be met.
        languageRankOf[slot] = Int8(clamping: minimum.map { $0.rank ?? Int(Int8.max) } ?? 0)
        countryOf[slot] = intern(name: place.country)
        prefectureOf[slot] = intern(name: place.prefecture)
        cityOf[slot] = intern(name: place.city)
        commuteOf[slot] = intern(name: configuration.commuteRegion(country: place.country, prefecture: place.prefecture))
        salaryMaxOf[slot] = content.salary.map { Int64($0.max) } ?? -1
        salaryUnitOf[slot] = content.salary.map { intern(name: Self.unit(currency: $0.currency, period: $0.period)) } ?? -1
        skillStartOf[slot] = Int32(skillPool.count)
        skillCountOf[slot] = UInt8(skills.count)
        skillPool.append(contentsOf: skills)
        slotOf[uuid] = Int32(slot)
        liveCount += 1
        if skills.isEmpty { withoutSkills.insert(Int32(slot)) }
        for skill in skills {
            documentFrequency[Int(skill)] += 1
            postingsWithSkill[Int(skill)].append(UInt64(UInt32(slot)) << 32 | UInt64(UInt32(kind)))
        }
    }

    static func unit(currency: String, period: Pay.Period) -> String {
        currency + "|" + period.rawValue
    }

    /// Removes a posting and its inverted-list entries (a scan of each of its skills' lists: writes are
    /// rare next to queries, and exact lists keep every query free of stale checks).
    mutating func remove(_ uuid: UUID) {
        guard let found = slotOf.removeValue(forKey: uuid) else { return }
        let slot = Int(found)
        let entryPrefix = UInt64(UInt32(slot)) << 32
        for skill in skills(of: slot) {
            documentFrequency[Int(skill)] -= 1
            postingsWithSkill[Int(skill)].removeAll { $0 & 0xFFFF_FFFF_0000_0000 == entryPrefix }
        }
        withoutSkills.remove(found)
        poolGarbage += Int(skillCountOf[slot])
        kindOf[slot] = -1
        skillCountOf[slot] = 0
        regionCodeOf[slot] = ""
        freeSlots.append(found)
        liveCount -= 1
        if poolGarbage > 1024, poolGarbage * 2 > skillPool.count { compactSkillPool() }
    }

    /// Rewrites the skill pool without the ranges of removed or replaced postings.
    private mutating func compactSkillPool() {
        var pool: [Int32] = []
        pool.reserveCapacity(skillPool.count - poolGarbage)
        for slot in 0..<slotCount where kindOf[slot] >= 0 {
            let range = skills(of: slot)
            skillStartOf[slot] = Int32(pool.count)
            pool.append(contentsOf: range)
        }
        skillPool = pool
        poolGarbage = 0
    }
}
