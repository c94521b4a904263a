import Foundation
import JobService
import Sovereignty
import Storage
import TestSupport
import Testing

@Suite(.freshDatabases)
struct JobStoreContractTests {
    /// Postings in three languages; each query below must find exactly the listed ones, on every engine.
    static let catalog: [(UInt64, String, String)] = [
        (1, "溶接工", "東京の工場で溶接作業を担当します。"),
        (2, "介護職員", "特別養護老人ホームでの介護業務。夜勤あり。"),
        (3, "용접공 모집", "서울 공장에서 용접 작업을 합니다."),
        (4, "Welder", "Structural welding for bridges; certified welders preferred."),
        (5, "Kitchen staff", "Prepare meals in a hotel kitchen. 接客 not required."),
        (6, "建設作業員", "溶接の経験がある方歓迎。Weld inspection is a plus."),
        (7, "O'Brien's bakery", "Bakers needed \"early\" shift."),
    ]

    static let searches: [(query: String, expected: Set<UInt64>)] = [
        ("溶接", [1, 6]),            // a Japanese bigram in a title and in a description
        ("溶接工", [1]),              // two bigrams that must be adjacent
        ("介護", [2]),
        ("夜勤", [2]),
        ("용접", [3]),               // Korean
        ("용접 작업", [3]),           // two Korean runs, both required
        ("weld", [4, 6]),            // a Latin word is a prefix: welding, welders, weld
        ("welder", [4]),
        ("WELDING bridges", [4]),   // case folded, every word required
        ("接客", [5]),               // CJK inside an English posting
        ("接", [1, 5, 6]),           // a lone CJK character: the bigrams it starts
        ("員", [2, 6]),              // … or a run's last character
        ("・", []),                  // no letter or digit: nothing
        ("o'brien", [7]),            // quotes cannot reach the query syntax
        ("\"early\"", [7]),
        ("溶接 weld", [6]),          // mixed scripts, both required
        ("존재하지않는", []),
        ("nothing-like-this", []),
    ]

    @Test(arguments: TestDatabases.engines)
    func searchFindsTheSamePostingsOnEveryEngine(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations))
        for (n, title, description) in Self.catalog {
            try await store.upsert(Fixtures.job(n, title: title, description: description))
        }
        for (text, expected) in Self.searches {
            var query = JobQuery()
            query.text = text
            let found = Set(try await store.list(query).jobs.map(\.id))
            #expect(found == Set(expected.map { Fixtures.id(.job, $0) }), "\(engine): \(text)")
        }
    }

    @Test(arguments: TestDatabases.engines)
    func searchIndexFollowsEdits(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations))
        try await store.upsert(Fixtures.job(1, title: "溶接工", updatedAt: "2026-12-01T00:00:00Z"))
        try await store.upsert(Fixtures.job(1, title: "介護職員", updatedAt: "2026-12-02T00:00:00Z"))
        var query = JobQuery()
        query.text = "溶接"
        #expect(try await store.list(query).jobs.isEmpty)
        query.text = "介護"
        #expect(try await store.list(query).jobs.map(\.id) == [Fixtures.id(.job, 1)])
    }

    @Test(arguments: TestDatabases.engines)
    func onlyANewerVersionReplacesAPosting(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations))
        try await store.upsert(Fixtures.job(1, title: "new", status: .closed, updatedAt: "2026-12-03T00:00:00Z"))
        try await store.upsert(Fixtures.job(1, title: "old", status: .open, updatedAt: "2026-12-02T00:00:00Z"))
        let stored = try #require(try await store.find(Fixtures.id(.job, 1)))
        #expect(stored.content.title == "new")
        #expect(stored.status == .closed)
        #expect(try await store.find(Fixtures.id(.job, 2)) == nil)
    }

    @Test(arguments: TestDatabases.engines)
    func filtersAndPagesNewestChangeFirst(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations))
        try await store.upsert(Fixtures.job(1, title: "a", skills: ["welding"], country: "JP"))
        try await store.upsert(Fixtures.job(2, title: "b", skills: ["cooking"], country: "JP", status: .closed))
        try await store.upsert(Fixtures.job(3, title: "c", skills: ["welding", "cooking"], country: "KR", origin: Fixtures.seoul))
        var query = JobQuery()
        query.skill = "welding"
        #expect(try await store.list(query).jobs.map(\.id) == [Fixtures.id(.job, 3), Fixtures.id(.job, 1)])
        query = JobQuery()
        query.status = .open
        query.country = "jp"
        #expect(try await store.list(query).jobs.map(\.id) == [Fixtures.id(.job, 1)])
        query = JobQuery()
        query.status = nil
        query.limit = 2
        let first = try await store.list(query)
        query.cursor = try #require(first.next, "a full page names the next")
        let second = try await store.list(query)
        #expect(second.next == nil, "a short page is the last")
        #expect((first.jobs + second.jobs).map(\.id) == [3, 2, 1].map { Fixtures.id(.job, $0) })
        // An edit is a change: the posting moves to the front.
        try await store.upsert(Fixtures.job(1, title: "a, edited", skills: ["welding"], country: "JP", updatedAt: "2026-12-05T00:00:00Z"))
        query = JobQuery()
        #expect(try await store.list(query).jobs.map(\.id) == [1, 3].map { Fixtures.id(.job, $0) })
    }

    /// Text searches page newest change first too. On PostgreSQL a search walks only the newest
    /// rows (a window of 3 here) in order and finds older matches through the index: every match
    /// is still found, once, in order, across pages and with filters.
    @Test(arguments: TestDatabases.engines)
    func searchesPageNewestFirstBeyondTheRecentWindow(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations), scanBudget: 3)
        let welding: Set<UInt64> = [1, 2, 5, 6, 9]
        try await store.upsert(contentsOf: (1...12 as ClosedRange<UInt64>).map { n in
            Fixtures.job(n, title: welding.contains(n) ? "溶接工 \(n)" : "介護職員 \(n)", country: n == 6 ? "KR" : "JP")
        })
        var query = JobQuery()
        query.text = "溶接"
        #expect(try await store.list(query).jobs.map(\.id) == [9, 6, 5, 2, 1].map { Fixtures.id(.job, $0) })
        query.limit = 2
        #expect(try await Self.pages(store, query) == [[9, 6], [5, 2], [1]].map { $0.map { Fixtures.id(.job, $0) } })
        query.country = "JP"
        query.limit = 3
        #expect(try await Self.pages(store, query).flatMap { $0 } == [9, 5, 2, 1].map { Fixtures.id(.job, $0) })
    }

    /// A filter no index serves, narrow enough to match one posting in twelve: with a budget of 3
    /// each page examines three postings (or three matches of the text) and says where the next
    /// starts, so pages may be empty, and the listing ends with the catalog — not one page that
    /// reads everything.
    @Test(arguments: TestDatabases.engines)
    func aNarrowFilterPagesWithinTheScanBudget(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations), scanBudget: 3)
        try await store.upsert(contentsOf: (1...12 as ClosedRange<UInt64>).map { n in
            Fixtures.job(n, title: "溶接工 \(n)", country: n == 6 ? "KR" : "JP")
        })
        let six = Fixtures.id(.job, 6)
        var query = JobQuery()
        query.country = "KR"
        #expect(try await Self.pages(store, query) == [[], [], [six], []])
        query.text = "溶接"
        #expect(try await Self.pages(store, query) == [[], [], [six], []])
        query.country = nil
        query.limit = 5
        #expect(try await Self.pages(store, query).map(\.count) == [5, 5, 2], "without a narrowing filter pages are full")
    }

    /// A skill few postings require is listed from its index, in complete pages, where a country
    /// as narrow still pages within the budget; a skill many require pages within the budget too.
    @Test(arguments: TestDatabases.engines)
    func aRareSkillIsListedFromItsIndexInCompletePages(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations), scanBudget: 8)
        try await store.upsert(contentsOf: (1...12 as ClosedRange<UInt64>).map { n in
            Fixtures.job(n, title: "溶接工 \(n)", skills: n == 6 || n == 2 ? ["welding", "forklift"] : ["forklift"], country: n == 6 ? "KR" : "JP")
        })
        var query = JobQuery()
        query.skill = "welding"
        #expect(try await Self.pages(store, query) == [[6, 2].map { Fixtures.id(.job, $0) }], "two postings: one complete page")
        query.limit = 1
        #expect(try await Self.pages(store, query) == [[6], [2], []].map { $0.map { Fixtures.id(.job, $0) } })
        query = JobQuery()
        query.country = "KR"
        #expect(try await Self.pages(store, query) == [[Fixtures.id(.job, 6)], []], "a country as narrow: pages of eight postings examined")
        query = JobQuery()
        query.skill = "forklift"
        query.limit = 5
        #expect(try await Self.pages(store, query).map(\.count) == [5, 5, 2])
    }

    /// Every page of a listing, following its cursors to the end.
    static func pages(_ store: SQLJobStore, _ query: JobQuery) async throws -> [[RegionalID]] {
        var query = query
        var pages: [[RegionalID]] = []
        while true {
            let page = try await store.list(query)
            pages.append(page.jobs.map(\.id))
            guard let next = page.next, pages.count < 100 else { return pages }
            query.cursor = next
        }
    }

    @Test(arguments: TestDatabases.engines)
    func changeFeedListsWritesInOrderFromAPosition(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations))
        try await store.upsert(Fixtures.job(1, title: "a"))
        try await store.upsert(Fixtures.job(2, title: "b", origin: Fixtures.seoul))
        try await store.upsert(Fixtures.job(1, title: "a2", updatedAt: "2026-12-05T00:00:00Z"))
        let all = try await store.changes(after: 0, limit: 100)
        #expect(all.map(\.job.content.title) == ["b", "a2"])
        #expect(all.map(\.sequence) == all.map(\.sequence).sorted())
        let own = try await store.changes(from: Fixtures.tokyo, after: 0, limit: 100)
        #expect(own.map(\.job.content.title) == ["a2"])
        #expect(try await store.changes(after: all[0].sequence, limit: 100).map(\.job.content.title) == ["a2"])
    }

    /// A batch larger than one statement's worth: every posting searchable and filterable as if
    /// written one by one, a stale version skipped, of two versions in the batch the newer kept,
    /// and change numbers in the order given.
    @Test(arguments: TestDatabases.engines)
    func aBatchWritesLikeOneByOne(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations))
        try await store.upsert(Fixtures.job(1, title: "stored newer", updatedAt: "2026-12-09T00:00:00Z"))
        var batch = (1...450 as ClosedRange<UInt64>).map { n in
            Fixtures.job(n, title: n % 3 == 0 ? "溶接工 \(n)" : "介護職員 \(n)", skills: n % 2 == 0 ? ["welding", "cooking"] : ["cooking"])
        }
        batch.append(Fixtures.job(7, title: "용접공 seven, newer", updatedAt: "2026-12-05T00:00:00Z"))
        try await store.upsert(contentsOf: batch)

        #expect(try await store.find(Fixtures.id(.job, 1))?.content.title == "stored newer", "a stale version is skipped")
        #expect(try await store.find(Fixtures.id(.job, 7))?.content.title == "용접공 seven, newer", "the newer of two in the batch wins")
        var query = JobQuery()
        query.text = "溶接工"
        query.limit = 1000
        #expect(try await store.list(query).jobs.count == 150)
        query.text = "용접"
        #expect(try await store.list(query).jobs.map(\.id) == [Fixtures.id(.job, 7)])
        query = JobQuery()
        query.skill = "welding"
        query.limit = 1000
        #expect(try await store.list(query).jobs.count == 225, "the even-numbered postings")
        let changes = try await store.changes(after: 0, limit: 1000)
        #expect(changes.count == 450)
        #expect(changes.map(\.sequence) == Array(1...450))
        #expect(changes.dropFirst().map(\.job.id) == (2...450 as ClosedRange<UInt64>).map { Fixtures.id(.job, $0) },
                "after the posting written first, the batch in the order given (job 7 where its first version stood)")
    }

    /// A migration that changes the tokens empties the search table; the next start re-indexes
    /// every posting, page by page.
    @Test(arguments: TestDatabases.engines)
    func aLostSearchIndexIsRebuiltPageByPage(engine: TestDatabases.Engine) async throws {
        let database = try await freshDatabase(engine, migrations: SQLJobStore.migrations)
        let store = SQLJobStore(database: database)
        try await store.upsert(contentsOf: (1...250 as ClosedRange<UInt64>).map { n in
            Fixtures.job(n, title: n.isMultiple(of: 5) ? "溶接工 \(n)" : "介護職員 \(n)")
        })
        try await database.write { try await $0.raw("DELETE FROM jobs_search").run() }
        var query = JobQuery()
        query.text = "溶接"
        query.limit = 1000
        #expect(try await store.list(query).jobs.isEmpty, "without its index, nothing is found")
        try await store.rebuildSearchIndexIfNeeded(pageSize: 100)
        #expect(try await store.list(query).jobs.count == 50)
        query.text = "介護"
        #expect(try await store.list(query).jobs.count == 200)
        let indexed = try await database.sql.raw("SELECT count(*) AS n FROM jobs_search").first()?.decode(column: "n", as: Int.self)
        #expect(indexed == 250)
    }

    /// The change sequence is the replication outbox: writes from many tasks at once (on
    /// PostgreSQL, many pooled connections) must never share a number or commit out of order.
    @Test(arguments: TestDatabases.engines)
    func concurrentWritesTakeDistinctSequenceNumbers(engine: TestDatabases.Engine) async throws {
        let store = SQLJobStore(database: try await freshDatabase(engine, migrations: SQLJobStore.migrations))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...40 as ClosedRange<UInt64> {
                group.addTask { try await store.upsert(Fixtures.job(n, title: "job \(n)")) }
            }
            try await group.waitForAll()
        }
        let changes = try await store.changes(after: 0, limit: 1000)
        #expect(changes.count == 40)
        #expect(Set(changes.map(\.sequence)).count == 40)
        #expect(changes.map(\.sequence) == Array(1...40))
    }
}
