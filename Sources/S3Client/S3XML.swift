internal import Foundation
#if canImport(FoundationXML)
internal import FoundationXML
#endif

/// The small part of XML that S3's answers need: elements with text, read with Foundation's
/// `XMLParser` (libxml2, linear in the input; external entities are not resolved).
final class S3XML {
    /// An element: its name, its text and its children.
    final class Element {
        let name: String
        var text = ""
        var children: [Element] = []
        init(name: String) { self.name = name }

        func child(_ name: String) -> Element? { children.first { $0.name == name } }
        func children(_ name: String) -> [Element] { children.filter { $0.name == name } }
        func value(_ name: String) -> String? { child(name)?.text }

        /// The first element named so, at any depth.
        func first(_ name: String) -> String? {
            if let direct = child(name) { return direct.text }
            for element in children { if let found = element.first(name) { return found } }
            return nil
        }
    }

    /// The document's root element, or nil when the bytes are not XML.
    static func parse(_ data: Data) -> Element? {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let delegate = Builder()
        parser.delegate = delegate
        guard parser.parse() else { return nil }
        return delegate.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var root: Element?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let element = Element(name: name)
            stack.last?.children.append(element)
            if stack.isEmpty { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }
    }
}
