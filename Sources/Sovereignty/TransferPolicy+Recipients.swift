extension TransferPolicy {
    /// Whether the recipient is a covered person for `restriction`: organised in a country of concern
    /// (its jurisdiction is the destination) or found to be one by the operators.
    func isCoveredPerson(_ request: Request, under restriction: RecipientRestriction) -> Bool {
        restriction.countriesOfConcern.contains(request.to) || request.recipientID.map(coveredPersons.contains) == true
    }

    /// The restriction that would count the persons already given to this recipient, when it is a covered
    /// person for one in force: only then is the count worth asking for.
    public func bulkRestriction(on request: Request) -> RecipientRestriction? {
        restrictions.first { $0.from == request.from && $0.isInForce(on: request.day) && isCoveredPerson(request, under: $0) }
    }

    /// A refusal for who the recipient is: an authority's suspension order naming it, or a restriction on
    /// covered persons once the data reaches its bulk threshold.
    func recipientRefusal(_ request: Request, protected: Set<DataClass>) -> Decision? {
        if let recipient = request.recipientID,
           let order = suspensionOrders.first(where: { $0.from == request.from && $0.recipient == recipient && $0.isInForce(on: request.day) }) {
            return deny(order.id, article: order.article,
                        "transfers from \(request.from) to this recipient are suspended by order \(order.reference) (\(order.article))", [])
        }
        for restriction in restrictions
        where restriction.from == request.from && restriction.isInForce(on: request.day) && isCoveredPerson(request, under: restriction) {
            let threshold = restriction.threshold(for: protected)
            // Uncounted, the transfer is taken to reach the threshold: the safe reading.
            guard let before = request.personsBefore, before + 1 <= threshold else {
                return deny(restriction.id, article: restriction.article,
                            "\(classList(protected)) data from \(request.from) may not go to a covered person at bulk volume "
                                + "(more than \(threshold) persons in \(restriction.windowDays) days; \(restriction.article))", [])
            }
        }
        return nil
    }

    /// A refusal for the class of data: a class the source lets leave only on certain bases, none evidenced.
    func classRefusal(_ request: Request, protected: Set<DataClass>) -> Decision? {
        for requirement in classRequirements where requirement.jurisdiction == request.from && !requirement.dataClasses.isDisjoint(with: protected) {
            guard requirement.requires.isDisjoint(with: request.bases) else { continue }
            let needed = requirement.requires.map(\.rawValue).sorted().joined(separator: " or ")
            return deny(requirement.id, article: requirement.article,
                        "\(classList(requirement.dataClasses.intersection(protected))) data from \(request.from) needs \(needed) of its own (\(requirement.article)), whatever the transfer basis",
                        requirement.requires.sorted { $0.rawValue < $1.rawValue }.map { Decision.Alternative(basis: $0, ruleID: requirement.id, article: requirement.article) })
        }
        return nil
    }

    static func problems(restrictions: [RecipientRestriction], suspensionOrders: [SuspensionOrder], classRequirements: [ClassRequirement],
                         known: Set<Jurisdiction>, ids: inout Set<String>) -> [String] {
        var problems: [String] = []
        func declare(_ id: String) {
            if !ids.insert(id).inserted { problems.append("rule \(id) is declared twice") }
        }
        func checkDay(_ id: String, _ name: String, _ day: String?) {
            if let day, !LegalDataRevision.isDay(day) { problems.append("rule \(id): \(name) '\(day.prefix(32))' is not YYYY-MM-DD") }
        }
        for restriction in restrictions {
            declare(restriction.id)
            for code in [restriction.from] + restriction.countriesOfConcern.sorted() where !known.contains(code) {
                problems.append("rule \(restriction.id): unknown jurisdiction \(code)")
            }
            if restriction.bulkThresholds.values.contains(where: { $0 < 0 }) { problems.append("rule \(restriction.id): a negative bulk threshold") }
            if restriction.windowDays < 1 { problems.append("rule \(restriction.id): window_days below 1") }
            checkDay(restriction.id, "since", restriction.since)
            checkDay(restriction.id, "until", restriction.until)
        }
        for order in suspensionOrders {
            declare(order.id)
            if !known.contains(order.from) { problems.append("rule \(order.id): unknown jurisdiction \(order.from)") }
            if order.recipient.isEmpty { problems.append("rule \(order.id): no recipient") }
            checkDay(order.id, "since", order.since)
            checkDay(order.id, "until", order.until)
        }
        for requirement in classRequirements {
            declare(requirement.id)
            if !known.contains(requirement.jurisdiction) { problems.append("rule \(requirement.id): unknown jurisdiction \(requirement.jurisdiction)") }
            if requirement.requires.isEmpty { problems.append("rule \(requirement.id): requires no basis") }
            if requirement.dataClasses.isEmpty || requirement.dataClasses.contains(.public) {
                problems.append("rule \(requirement.id): data_classes must name personal or sensitive")
            }
        }
        return problems
    }
}
