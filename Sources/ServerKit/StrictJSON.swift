public import Foundation
public import Hummingbird
public import HTTPTypes
internal import NIOCore
internal import NIOFoundationCompat

/// Decodes request bodies strictly: JSON only, bounded size, right types, and no unknown fields —
/// a typo such as `"skils"` is an error, not a silently ignored member.
public enum StrictJSON {
    /// The default body limit for API requests.
    public static let defaultLimit = 64 * 1024

    /// Reads and decodes the request body, throwing a ``Problem`` for every kind of bad input.
    public static func decode<T: Codable>(_ type: T.Type, from request: Request, limit: Int = defaultLimit) async throws -> T {
        let contentType = request.headers[.contentType]
        guard let contentType, isJSON(contentType) else { throw Problem.unsupportedMediaType(contentType) }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem.bodyTooLarge(limit: limit)
        }
        return try decode(type, from: Data(buffer: buffer))
    }

    /// Decodes bytes already read.
    public static func decode<T: Codable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.isEmpty else { throw Problem.invalidBody("a JSON body is required") }
        let original: Any
        do {
            original = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw Problem.malformedJSON("the body could not be parsed as JSON")
        }
        if let duplicate = DuplicateKeyScanner.firstDuplicate(in: data) {
            throw Problem.malformedJSON("member \"\(duplicate.prefix(64))\" appears twice in one object")
        }
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            // Foundation reports a number no Int holds (1.5e300, 0.5) as corrupt data with no path.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let at = firstNonInteger(original, pointer: "") {
                throw Problem.invalidBody("\(at) must be a whole number that fits in 64 bits",
                                          errors: [.init(pointer: at, detail: "must be a whole number that fits in 64 bits")])
            }
            throw describe(error)
        }
        let canonical = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value), options: [])
        var unknown = unknownKeys(original, canonical, pointer: "")
        unknown += try unknownNullMembers(T.self, original)
        guard unknown.isEmpty else { throw Problem.unknownField(unknown.sorted()) }
        return value
    }

    /// Members set to null are absent from the canonical form whether or not they are known, so each
    /// is probed: replaced by a value no field accepts, a known member makes decoding fail.
    static func unknownNullMembers<T: Codable>(_ type: T.Type, _ original: Any) throws -> [String] {
        let paths = nullPaths(original, path: [])
        guard paths.count <= 32 else { throw Problem.invalidBody("too many null members") }
        return paths.compactMap { path in
            let probe = replacing(original, at: path[...], with: ["\u{0}probe": [Any]()])
            guard let data = try? JSONSerialization.data(withJSONObject: probe),
                  let decoded = try? JSONDecoder().decode(T.self, from: data),
                  let canonical = try? JSONSerialization.jsonObject(with: JSONEncoder().encode(decoded)),
                  !contains(canonical, path[...]) else { return nil }
            return path.map { "/" + escape($0) }.joined()
        }
    }

    private static func nullPaths(_ value: Any, path: [String]) -> [[String]] {
        switch value {
        case let object as [String: Any]:
            object.flatMap { key, member in member is NSNull ? [path + [key]] : nullPaths(member, path: path + [key]) }
        case let array as [Any]:
            array.enumerated().flatMap { index, element in nullPaths(element, path: path + [String(index)]) }
        default:
            []
        }
    }

    private static func replacing(_ value: Any, at path: ArraySlice<String>, with replacement: Any) -> Any {
        guard let head = path.first else { return replacement }
        switch value {
        case var object as [String: Any]:
            object[head] = replacing(object[head] ?? NSNull(), at: path.dropFirst(), with: replacement)
            return object
        case var array as [Any]:
            guard let index = Int(head), array.indices.contains(index) else { return array }
            array[index] = replacing(array[index], at: path.dropFirst(), with: replacement)
            return array
        default:
            return value
        }
    }

    private static func contains(_ value: Any, _ path: ArraySlice<String>) -> Bool {
        guard let head = path.first else { return true }
        switch value {
        case let object as [String: Any]:
            return object[head].map { contains($0, path.dropFirst()) } ?? false
        case let array as [Any]:
            guard let index = Int(head), array.indices.contains(index) else { return false }
            return contains(array[index], path.dropFirst())
        default:
            return false
        }
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    /// Members present in the input that the decoded value does not carry (nulls are ignored).
    static func unknownKeys(_ original: Any, _ canonical: Any, pointer: String) -> [String] {
        switch (original, canonical) {
        case (let input as [String: Any], let known as [String: Any]):
            return input.keys.sorted().flatMap { key -> [String] in
                let path = pointer + "/" + escape(key)
                guard let value = known[key] else { return input[key] is NSNull ? [] : [path] }
                return unknownKeys(input[key]!, value, pointer: path)
            }
        case (let input as [Any], let known as [Any]) where input.count == known.count:
            return zip(input, known).enumerated().flatMap { index, pair in
                unknownKeys(pair.0, pair.1, pointer: pointer + "/\(index)")
            }
        default:
            return []
        }
    }

    private static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The first number, depth first with members in key order, that is fractional or beyond a 64-bit integer.
    /// The API's bodies hold integers only, so that number is the one the decoder could not read.
    static func firstNonInteger(_ value: Any, pointer: String) -> String? {
        switch value {
        case let object as [String: Any]:
            return object.keys.sorted().lazy.compactMap { firstNonInteger(object[$0]!, pointer: pointer + "/" + escape($0)) }.first
        case let array as [Any]:
            return array.indices.lazy.compactMap { firstNonInteger(array[$0], pointer: pointer + "/\($0)") }.first
        case let number as NSNumber:  // booleans are NSNumbers too, and whole
            let double = number.doubleValue
            let whole = double.rounded() == double && abs(double) < 9.2e18
            return whole ? nil : pointer
        default:
            return nil
        }
    }

    static func pointer(_ path: [any CodingKey]) -> String {
        path.map { "/" + ($0.intValue.map(String.init) ?? escape($0.stringValue)) }.joined()
    }

    static func describe(_ error: DecodingError) -> Problem {
        switch error {
        case .typeMismatch(let type, let context):
            let at = pointer(context.codingPath)
            return .invalidBody("\(at.isEmpty ? "the body" : at) must be \(typeName(type))",
                                errors: [.init(pointer: at, detail: "must be \(typeName(type))")])
        case .valueNotFound(let type, let context):
            let at = pointer(context.codingPath)
            return .invalidBody("\(at) must be \(typeName(type)), not null", errors: [.init(pointer: at, detail: "must not be null")])
        case .keyNotFound(let key, let context):
            let at = pointer(context.codingPath + [key])
            return .invalidBody("\(at) is required", errors: [.init(pointer: at, detail: "is required")])
        case .dataCorrupted(let context):
            let at = pointer(context.codingPath)
            return .invalidBody("\(at.isEmpty ? "the body" : at): \(context.debugDescription)",
                                errors: [.init(pointer: at, detail: context.debugDescription)])
        @unknown default:
            return .invalidBody("the body does not match the schema")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}

extension Response {
    /// A JSON response with sorted keys, so bodies are stable for caching and tests.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
