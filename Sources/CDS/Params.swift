import CDSCore
import Synchronization

/// The validated params of one call, read by type. The schema already checked them, so
/// these readers only convert; they still throw rather than trap if a handler asks for
/// something its schema does not promise. A handler that reads a key its method does not
/// declare (a typo would read nil for ever) is recorded in `undeclaredReads`, which the
/// contract test checks after calling every method.
public struct Params: Sendable {
    /// The params object.
    public let object: JSONObject
    /// The method and the keys its schema declares (nil: not checked).
    let declared: (method: String, keys: Set<String>)?

    /// Params over an object.
    public init(_ object: JSONObject) { self.object = object; declared = nil }

    /// Params of a call of `method`, whose schema declares `keys`.
    init(_ object: JSONObject, method: String, keys: Set<String>) { self.object = object; declared = (method, keys) }

    /// `method.key` of every read of an undeclared key since the library was loaded.
    @_spi(Tooling) public static var undeclaredReads: Set<String> { misreads.withLock { $0 } }
    private static let misreads = Mutex<Set<String>>([])

    /// The value of a declared key (a read of another is recorded).
    public func value(_ key: String) -> JSON? {
        if let d = declared, !d.keys.contains(key) { _ = Params.misreads.withLock { $0.insert(d.method + "." + key) } }
        return object[key]
    }

    /// True when the key is present, even as null (for updates: null clears).
    public func has(_ key: String) -> Bool { value(key) != nil }

    /// The string, nil when absent or null.
    public func string(_ key: String) -> String? { value(key)?.stringValue }

    /// A declared text (the schema checked its length and characters), trimmed; nil when absent, null or blank.
    public func text(_ key: String) -> String? {
        guard let s = string(key) else { return nil }
        let t = Validate.trimmed(s)
        return t.isEmpty ? nil : t
    }

    /// The string, or an error if absent.
    public func requiredString(_ key: String) throws(CDSError) -> String {
        guard let s = string(key) else { throw CDSError.invalid(key, "is required") }
        return s
    }

    /// The integer, nil when absent or null.
    public func int(_ key: String) -> Int64? { value(key)?.intValue }

    /// The boolean, nil when absent or null.
    public func bool(_ key: String) -> Bool? { value(key)?.boolValue }

    /// The list of strings, nil when absent or null.
    public func strings(_ key: String) -> [String]? { value(key)?.arrayValue?.compactMap(\.stringValue) }

    /// The list of objects, nil when absent or null.
    public func objects(_ key: String) -> [JSONObject]? { value(key)?.arrayValue?.compactMap(\.objectValue) }

    /// The date, nil when absent or null.
    public func date(_ key: String) throws(CDSError) -> LocalDate? {
        guard let s = string(key) else { return nil }
        guard let d = LocalDate(s) else { throw CDSError.invalid(key, "must be a date YYYY-MM-DD") }
        return d
    }

    /// The date, or an error if absent.
    public func requiredDate(_ key: String) throws(CDSError) -> LocalDate {
        guard let d = try date(key) else { throw CDSError.invalid(key, "is required") }
        return d
    }

    /// The instant, nil when absent or null.
    public func instant(_ key: String) throws(CDSError) -> Instant? {
        guard let s = string(key) else { return nil }
        guard let i = Instant(s) else { throw CDSError.invalid(key, "must be an RFC 3339 instant") }
        return i
    }

    /// A vocabulary term, nil when absent or null.
    public func term<V: Vocabulary>(_ key: String, _ type: V.Type) throws(CDSError) -> V? {
        guard let s = string(key) else { return nil }
        return try V.parse(s, field: key)
    }

    /// A list of vocabulary terms, nil when absent or null.
    public func terms<V: Vocabulary>(_ key: String, _ type: V.Type) throws(CDSError) -> [V]? {
        guard let list = strings(key) else { return nil }
        var out: [V] = []
        for s in list { out.append(try V.parse(s, field: key)) }
        return out
    }

    /// `limit`, 1…1000, default 100.
    public var limit: Int { Int(int("limit") ?? 100) }

    /// `cursor` of a list ordered by creation: the sequence number after which to go on.
    public func sequenceCursor() throws(CDSError) -> Int64 {
        guard let c = string("cursor") else { return 0 }
        guard let n = Int64(c), n >= 0 else { throw CDSError.invalid("cursor", "is not a cursor of this list: pass next_cursor as answered") }
        return n
    }
}
