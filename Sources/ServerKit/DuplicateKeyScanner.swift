public import Foundation

/// Finds a member name used twice in one JSON object. JSON parsers disagree on which duplicate wins,
/// so a body with duplicates means different things to different readers; the API refuses it.
///
/// Run only on text already known to be valid JSON; names are compared after their escapes are undone,
/// so `"a"` and `"\u0061"` are the same name, as every parser reads them.
enum DuplicateKeyScanner {
    static func firstDuplicate(in data: Data) -> String? {
        var objects: [Set<String>?] = []  // nil for an array frame
        var expectingKey = false
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            switch byte {
            case UInt8(ascii: "{"):
                objects.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                objects.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = objects.popLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = objects.last.map { $0 != nil } ?? false
            case UInt8(ascii: ":"):
                expectingKey = false
            case UInt8(ascii: "\""):
                let start = data.index(after: index)
                var end = start
                while end < data.endIndex, data[end] != UInt8(ascii: "\"") {
                    end = data[end] == UInt8(ascii: "\\") ? data.index(end, offsetBy: 2, limitedBy: data.endIndex) ?? data.endIndex : data.index(after: end)
                }
                if expectingKey, var keys = objects.last ?? nil {
                    // As Swift strings: canonically equivalent names (é and e + ◌́) are one key to a Swift decoder.
                    let key = Self.unescaped([UInt8](data[start..<min(end, data.endIndex)]))
                    if !keys.insert(key).inserted { return key }
                    objects[objects.count - 1] = keys
                }
                index = end
            default:
                break
            }
            if index < data.endIndex { index = data.index(after: index) }
        }
        return nil
    }

    /// A member name as parsers read it; the text is valid JSON, so decoding it as a string succeeds.
    private static func unescaped(_ name: [UInt8]) -> String {
        guard name.contains(UInt8(ascii: "\\")),
              let decoded = try? JSONDecoder().decode(String.self, from: Data([UInt8(ascii: "\"")] + name + [UInt8(ascii: "\"")])) else {
            return String(decoding: name, as: UTF8.self)
        }
        return decoded
    }
}
