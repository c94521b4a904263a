public import Foundation

/// Finds a member name used twice in one JSON object. JSON parsers disagree on which duplicate wins,
/// so a body with duplicates means different things to different readers; the API refuses it.
///
/// Run only on text already known to be valid JSON; names are compared as written (escapes included).
enum DuplicateKeyScanner {
    static func firstDuplicate(in data: Data) -> String? {
        var objects: [Set<[UInt8]>?] = []  // nil for an array frame
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
                    let key = [UInt8](data[start..<min(end, data.endIndex)])
                    if !keys.insert(key).inserted { return String(decoding: key, as: UTF8.self) }
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
}
