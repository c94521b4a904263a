/// An error of the sovereignty configuration or of a regional identifier.
///
/// The code is opaque so that new kinds of error can be added without breaking callers.
public struct SovereigntyError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The YAML could not be parsed or does not have the expected shape.
        public static let malformedDocument = Code(name: "malformed-document")
        /// The document parsed but breaks a rule (duplicate region, unknown reference, …).
        public static let invalidConfiguration = Code(name: "invalid-configuration")
        /// A regional identifier is not of the form `kind_region_uuidv7`.
        public static let malformedIdentifier = Code(name: "malformed-identifier")
        /// A region, region code or jurisdiction is not known.
        public static let unknownRegion = Code(name: "unknown-region")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
