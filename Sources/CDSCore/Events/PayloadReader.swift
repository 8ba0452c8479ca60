/// Reads an event's payload field by field: a missing field, a wrong type or an unknown
/// version is a `storage` error naming the event's seq and type, never a default.
public struct PayloadReader: Sendable {
    /// The event's position in the log.
    public let seq: Int64
    /// The event's type, as stored.
    public let type: String
    /// The object read (the payload, or one of its parts).
    let object: JSONObject
    /// Where `object` sits in the payload (`after.`), for messages.
    let path: String

    /// The reader of a payload's text; an unreadable text or a version newer than `newest` is an error.
    public init(seq: Int64, type: String, text: String, newest: Int64 = 1) throws(CDSError) {
        let json: JSON
        do { json = try JSON.parse(text) } catch {
            throw PayloadReader.failure(seq, type, "payload", "is not JSON (\(error.reason) at \(error.offset))")
        }
        try self.init(seq: seq, type: type, payload: json, newest: newest)
    }

    /// The reader of a parsed payload.
    public init(seq: Int64, type: String, payload: JSON, newest: Int64 = 1) throws(CDSError) {
        guard let o = payload.objectValue else { throw PayloadReader.failure(seq, type, "payload", "is \(payload.typeName), not an object") }
        self.init(seq: seq, type: type, object: o, path: "")
        let version = try has("version") ? int("version") : 1
        guard version >= 1, version <= newest else { throw failure("version", "is \(version): this release reads versions 1 to \(newest)") }
    }

    init(seq: Int64, type: String, object: JSONObject, path: String) {
        self.seq = seq; self.type = type; self.object = object; self.path = path
    }

    static func failure(_ seq: Int64, _ type: String, _ field: String, _ why: String) -> CDSError {
        // Named like every damaged row (table and column), with the event and the field.
        CDSError(.storage, "damaged row in event.payload: event \(seq) (\(type)): \(field) \(why)",
                 details: JSONObject([("table", "event"), ("column", "payload"), ("seq", .int(seq)), ("type", .string(type)),
                                      ("field", .string(field)), ("reason", .string(why))]))
    }

    /// The storage error for `key` of this object.
    public func failure(_ key: String, _ why: String) -> CDSError { Self.failure(seq, type, path + key, why) }

    /// True when the object holds `key` (a changed field, in a change's `after`).
    public func has(_ key: String) -> Bool { object[key] != nil }

    func value(_ key: String) throws(CDSError) -> JSON {
        guard let v = object[key] else { throw failure(key, "is missing") }
        return v
    }

    func mistyped(_ key: String, _ v: JSON, _ expected: String) -> CDSError { failure(key, "is \(v.typeName), not \(expected)") }

    /// A required object part (`after`, `before`, `quantity`).
    public func part(_ key: String) throws(CDSError) -> PayloadReader {
        let v = try value(key)
        guard let o = v.objectValue else { throw mistyped(key, v, "an object") }
        return PayloadReader(seq: seq, type: type, object: o, path: path + key + ".")
    }

    /// A required string.
    public func string(_ key: String) throws(CDSError) -> String {
        let v = try value(key)
        guard let s = v.stringValue else { throw mistyped(key, v, "a string") }
        return s
    }

    /// A present key whose value is a string or null.
    public func optionalString(_ key: String) throws(CDSError) -> String? {
        let v = try value(key)
        if v.isNull { return nil }
        guard let s = v.stringValue else { throw mistyped(key, v, "a string or null") }
        return s
    }

    /// A required array of strings.
    public func strings(_ key: String) throws(CDSError) -> [String] {
        let v = try value(key)
        guard let a = v.arrayValue else { throw mistyped(key, v, "an array of strings") }
        var out: [String] = []
        for item in a {
            guard let s = item.stringValue else { throw failure(key, "holds \(item.typeName), not only strings") }
            out.append(s)
        }
        return out
    }

    /// A required array of objects.
    public func objects(_ key: String) throws(CDSError) -> [PayloadReader] {
        let v = try value(key)
        guard let a = v.arrayValue else { throw mistyped(key, v, "an array of objects") }
        var out: [PayloadReader] = []
        for (i, item) in a.enumerated() {
            guard let o = item.objectValue else { throw failure("\(key)[\(i)]", "is \(item.typeName), not an object") }
            out.append(PayloadReader(seq: seq, type: type, object: o, path: path + "\(key)[\(i)]."))
        }
        return out
    }

    /// A required boolean.
    public func bool(_ key: String) throws(CDSError) -> Bool {
        let v = try value(key)
        guard let b = v.boolValue else { throw mistyped(key, v, "a boolean") }
        return b
    }

    /// A required integer.
    public func int(_ key: String) throws(CDSError) -> Int64 {
        let v = try value(key)
        guard let i = v.intValue else { throw mistyped(key, v, "an integer") }
        return i
    }

    /// A required `YYYY-MM-DD` date.
    public func date(_ key: String) throws(CDSError) -> LocalDate {
        let s = try string(key)
        guard let d = LocalDate(s) else { throw failure(key, "is \"\(s)\", not a YYYY-MM-DD date") }
        return d
    }

    /// A present key whose value is a date or null.
    public func optionalDate(_ key: String) throws(CDSError) -> LocalDate? {
        guard let s = try optionalString(key) else { return nil }
        guard let d = LocalDate(s) else { throw failure(key, "is \"\(s)\", not a YYYY-MM-DD date") }
        return d
    }

    /// A field of a change: read when `required` (a creation records every field) or when
    /// present (a change records only what changed); nil when a change left it alone.
    public func field<T>(_ key: String, required: Bool, _ read: (PayloadReader) -> (String) throws(CDSError) -> T) throws(CDSError) -> T? {
        guard required || has(key) else { return nil }
        return try read(self)(key)
    }
}
