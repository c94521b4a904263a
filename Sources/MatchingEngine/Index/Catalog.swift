internal import Foundation
internal import JobService
internal import Sovereignty
internal import Workforce

/// The index's data, laid out by column: one array per fact, indexed by slot, so scanning hundreds
/// of thousands of candidates reads compact numbers and touches no reference counts. Inverted lists
/// hold a ``ListEntry`` (slot, day of creation, kind) per posting requiring a skill, oldest first, so
/// a query reads them newest first, drops a candidate of an ineligible kind without reading anything
/// else about it, and stops a list once postings are too old to reach the results.
///
/// A value type: a query copies it (cheaply, the arrays are shared) and reads without holding the
/// lock; a write made meanwhile copies only the arrays it changes.
struct Catalog: Sendable {
    // Per slot. A free slot has kind -1.
    var uuidOf: [UUID] = []
    var idKindOf: [RegionalID.Kind] = []
    var regionCodeOf: [String] = []
    /// The numbers a query reads for a candidate, together in one cache line per posting.
    var facts: [PostingFacts] = []
    var skillPool: [Int32] = []
    private var poolGarbage = 0

    var freeSlots: [Int32] = []
    var slotOf: [UUID: Int32] = [:]
    /// Versions of postings that were closed, so a late, older copy does not bring them back.
    var closedVersions: [UUID: Int64] = [:]
    var skillIDs: [String: Int32] = [:]
    var skillNames: [String] = []
    var documentFrequency: [Int32] = []
    /// Per skill, ``ListEntry`` values in order of creation day.
    var postingsWithSkill: [[UInt64]] = []
    var withoutSkills: Set<Int32> = []
    var kinds: [OpeningKind] = []
    var kindIDs: [OpeningKind: Int32] = [:]
    var languageIDs: [String: Int16] = [:]
    var languageCodes: [String] = []
    var names: [String: Int32] = [:]
    var liveCount = 0

    var slotCount: Int { facts.count }

    func skillID(_ name: String) -> Int32? { skillIDs[name] }

    func nameID(_ name: String?) -> Int32 {
        name.flatMap { names[$0.lowercased()] } ?? -1
    }

    func skills(of slot: Int) -> ArraySlice<Int32> {
        let start = Int(facts[slot].skillStart)
        return skillPool[start..<start + Int(facts[slot].skillCount)]
    }

    func id(of slot: Int) -> RegionalID? {
        RegionalID("\(idKindOf[slot].rawValue)_\(regionCodeOf[slot])_\(uuidOf[slot].uuidString.lowercased())")
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
    /// With `keepingOrder` false the lists are appended to unsorted: a bulk load sorts them once at the end.
    mutating func upsert(_ job: Job, taxonomy: SkillTaxonomy, configuration: MatchingConfiguration, keepingOrder: Bool = true) {
        guard let uuid = UUID(uuidString: job.id.uuid) else { return }
        let version = CompactTime.version(job.updatedAt)
        if let slot = slotOf[uuid], facts[Int(slot)].version >= version { return }
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
        let place = content.location, minimum = content.minimumLanguage
        let posting = PostingFacts(
            version: version, salaryMax: content.salary.map { Int64($0.max) } ?? -1,
            createdDay: CompactTime.day(job.createdAt) ?? 0, startDay: content.startDate.flatMap(CompactTime.day) ?? -1, kind: kind,
            country: intern(name: place.country), prefecture: intern(name: place.prefecture), city: intern(name: place.city),
            commuteRegion: intern(name: configuration.commuteRegion(country: place.country, prefecture: place.prefecture)),
            salaryUnit: content.salary.map { intern(name: Self.unit(currency: $0.currency, period: $0.period)) } ?? -1,
            skillStart: Int32(skillPool.count), hours: Int16(clamping: content.weeklyHours ?? -1),
            language: minimum.map { intern(language: $0.language) } ?? -1,
            // A level no test recognises can never be met.
            languageRank: Int8(clamping: minimum.map { $0.rank ?? Int(Int8.max) } ?? 0), skillCount: UInt8(skills.count))
        let slot: Int
        if freeSlots.isEmpty && slotCount > ListEntry.maxSlot {
            // The entry layout holds 2^24 slots; a cell with more open postings needs a wider entry.
            closedVersions[uuid] = nil
            return
        }
        if let reused = freeSlots.popLast() {
            slot = Int(reused)
            uuidOf[slot] = uuid
            idKindOf[slot] = job.id.kind
            regionCodeOf[slot] = job.id.regionCode
            facts[slot] = posting
        } else {
            slot = slotCount
            uuidOf.append(uuid)
            idKindOf.append(job.id.kind)
            regionCodeOf.append(job.id.regionCode)
            facts.append(posting)
        }
        skillPool.append(contentsOf: skills)
        slotOf[uuid] = Int32(slot)
        liveCount += 1
        if skills.isEmpty { withoutSkills.insert(Int32(slot)) }
        let entry = ListEntry.make(slot: slot, day: posting.createdDay, kind: kind)
        for skill in skills {
            documentFrequency[Int(skill)] += 1
            var list = postingsWithSkill[Int(skill)]
            postingsWithSkill[Int(skill)] = []
            if !keepingOrder || list.last.map({ ListEntry.day($0) <= ListEntry.day(entry) }) ?? true {
                list.append(entry)
            } else {
                // An older posting arriving late (replication): its place by day, found by bisection.
                var low = 0, high = list.count
                while low < high {
                    let middle = (low + high) / 2
                    if ListEntry.day(list[middle]) <= ListEntry.day(entry) { low = middle + 1 } else { high = middle }
                }
                list.insert(entry, at: low)
            }
            postingsWithSkill[Int(skill)] = list
        }
    }

    /// Orders every list by creation day, after a bulk load.
    mutating func sortLists() {
        for index in postingsWithSkill.indices {
            postingsWithSkill[index].sort { ListEntry.day($0) < ListEntry.day($1) }
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
        for skill in skills(of: slot) {
            documentFrequency[Int(skill)] -= 1
            postingsWithSkill[Int(skill)].removeAll { ListEntry.slot($0) == slot }
        }
        withoutSkills.remove(found)
        poolGarbage += Int(facts[slot].skillCount)
        facts[slot].kind = -1
        facts[slot].skillCount = 0
        regionCodeOf[slot] = ""
        freeSlots.append(found)
        liveCount -= 1
        if poolGarbage > 1024, poolGarbage * 2 > skillPool.count { compactSkillPool() }
    }

    /// Rewrites the skill pool without the ranges of removed or replaced postings.
    private mutating func compactSkillPool() {
        var pool: [Int32] = []
        pool.reserveCapacity(skillPool.count - poolGarbage)
        for slot in 0..<slotCount where facts[slot].kind >= 0 {
            let range = skills(of: slot)
            facts[slot].skillStart = Int32(pool.count)
            pool.append(contentsOf: range)
        }
        skillPool = pool
        poolGarbage = 0
    }
}

/// An inverted-list entry: slot (24 bits), day of creation (16 bits, days since 1970) and kind
/// (24 bits) in one word.
enum ListEntry {
    static let maxSlot = (1 << 24) - 1

    static func make(slot: Int, day: Int32, kind: Int32) -> UInt64 {
        UInt64(slot) << 40 | UInt64(UInt16(clamping: max(0, day))) << 24 | UInt64(UInt32(kind) & 0xFF_FFFF)
    }

    static func slot(_ entry: UInt64) -> Int { Int(entry >> 40) }
    static func day(_ entry: UInt64) -> Int32 { Int32(UInt16(truncatingIfNeeded: entry >> 24)) }
    static func kind(_ entry: UInt64) -> Int { Int(entry & 0xFF_FFFF) }
}

/// What a query reads about one posting: plain numbers, no references, 64 bytes.
struct PostingFacts: Sendable {
    /// `updated_at` as a number that sorts like the timestamp, to keep only the newest version.
    var version: Int64
    /// The top of the pay range; -1 when none.
    var salaryMax: Int64
    /// Days since 1970 of `created_at` (recency) and of the start date (-1: as soon as possible).
    var createdDay: Int32
    var startDay: Int32
    /// Interned eligibility facts shared by many postings (an ``OpeningKind``); -1 for a free slot.
    var kind: Int32
    /// Interned lowercased place names; -1 when absent.
    var country: Int32
    var prefecture: Int32
    var city: Int32
    var commuteRegion: Int32
    /// Interned `currency|period` of the pay range; -1 when none.
    var salaryUnit: Int32
    /// The posting's skills: `skillCount` ids from `skillPool[skillStart]`.
    var skillStart: Int32
    /// Weekly hours; -1 when the posting does not say.
    var hours: Int16
    /// Interned language of the minimum level (-1: none) and the level's rank.
    var language: Int16
    var languageRank: Int8
    var skillCount: UInt8
}
