/// What an authorization code or a refresh token grants, and what redeeming one gives.
public enum Grant {
    public struct Code: Sendable, Equatable {
        public let clientID: String
        public let userID: String
        public let redirectURI: String
        public let challenge: String
        public let scope: String

        public init(clientID: String, userID: String, redirectURI: String, challenge: String, scope: String) {
            self.clientID = clientID
            self.userID = userID
            self.redirectURI = redirectURI
            self.challenge = challenge
            self.scope = scope
        }
    }

    public struct Refresh: Sendable, Equatable {
        public let familyID: String
        public let clientID: String
        public let userID: String
        public let scope: String

        public init(familyID: String, clientID: String, userID: String, scope: String) {
            self.familyID = familyID
            self.clientID = clientID
            self.userID = userID
            self.scope = scope
        }
    }

    public enum Redemption<Value: Sendable>: Sendable {
        case valid(Value)
        /// Used before: the whole family has just been revoked.
        case reused
        case invalid
    }
}
