/// Who receives transferred data, which the law treats differently.
public enum TransferRecipient: String, Sendable, Codable, Hashable, CaseIterable {
    /// Another company that uses the data for its own ends — an employer receiving an application or a
    /// candidate card. A provision to a third party (APPI Art. 27, PIPA Art. 17): it needs the person's
    /// consent or a listed exception even where the destination is adequate.
    case thirdParty = "third-party"
    /// A service provider that handles the data only on the platform's behalf — storage, a backup, a
    /// language model's provider. Outsourcing (PIPA Art. 28-8(1)(3) covers only this).
    case processor
}

/// How a transfer happens, which decides whether a derogation may carry it.
public enum TransferFlow: String, Sendable, Codable, Hashable, CaseIterable {
    /// One act at the person's request (an application): GDPR Art. 49 derogations may carry it.
    case occasional
    /// A standing flow (candidate discovery, backups, a model used for every summary): it needs
    /// adequacy or appropriate safeguards; Art. 49 derogations are not for systematic transfers.
    case systematic
}
