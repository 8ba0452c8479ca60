/// Reads a JSON object field by field for a decoder, naming the path of anything wrong
/// (`logframe.results[0].indicators[1].target`) and refusing unknown fields.
public struct JSONReader {
    /// The object read.
    public let object: JSONObject
    /// Its path in the params.
    public let path: String

    /// A reader of `json` at `path`; an error if it is not an object or has a key not in `known`.
    public init(_ json: JSON?, path: String, known: [String]) throws(CDSError) {
        guard let o = json?.objectValue else { throw CDSError.invalid(path, "must be an object") }
        for k in o.keys where !known.contains(k) {
            throw CDSError.invalid(field(k, in: path), "unknown field (known: \(known.joined(separator: ", ")))")
        }
        object = o
        self.path = path
        schema = nil
    }

    /// The schema that declared the object, when it was read against one.
    public let schema: Schema?

    /// A reader of `json` at `path`, checked against `schema` first: the declaration decides the
    /// known fields, types, limits and required ones, so the reads below only convert.
    public init(_ json: JSON?, path: String, schema: Schema) throws(CDSError) {
        try schema.validate(json ?? .null, at: path)
        guard let o = json?.objectValue else { throw CDSError.invalid(path, "must be an object") }
        object = o
        self.path = path
        self.schema = schema
    }

    /// A declared text, trimmed; nil when absent, null or blank. Its limit is the schema's.
    public func text(_ key: String) throws(CDSError) -> String? {
        guard case .text(let max)? = schema?.property(key)?.schema.unwrapped else {
            throw CDSError(.internal, "\(at(key)) is read as a text but not declared as one")
        }
        return try text(key, max: max)
    }

    /// A declared, required text.
    public func requiredText(_ key: String) throws(CDSError) -> String {
        guard let t = try text(key) else { throw CDSError.invalid(at(key), "is required") }
        return t
    }

    /// The path of a member.
    public func at(_ key: String) -> String { field(key, in: path) }

    /// A trimmed text of at most `max` characters; nil when absent, null or blank.
    public func text(_ key: String, max: Int) throws(CDSError) -> String? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw CDSError.invalid(at(key), "must be a string") }
        return try Validate.optionalText(s, field: at(key), max: max)
    }

    /// A required text.
    public func requiredText(_ key: String, max: Int) throws(CDSError) -> String {
        guard let t = try text(key, max: max) else { throw CDSError.invalid(at(key), "is required") }
        return t
    }

    /// A date; nil when absent or null.
    public func date(_ key: String) throws(CDSError) -> LocalDate? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let s = v.stringValue, let d = LocalDate(s) else { throw CDSError.invalid(at(key), "must be a date YYYY-MM-DD") }
        return d
    }

    /// A required RFC 3339 instant.
    public func instant(_ key: String) throws(CDSError) -> Instant {
        guard let s = object[key]?.stringValue, let i = Instant(s) else { throw CDSError.invalid(at(key), "must be an instant") }
        return i
    }

    /// A number (integer or decimal); nil when absent or null.
    public func number(_ key: String) throws(CDSError) -> Double? {
        switch object[key] {
        case nil, .null?: return nil
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        default: throw CDSError.invalid(at(key), "must be a number")
        }
    }

    /// An integer in a range; nil when absent or null.
    public func integer(_ key: String, in range: ClosedRange<Int64>) throws(CDSError) -> Int64? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let i = v.intValue else { throw CDSError.invalid(at(key), "must be an integer") }
        guard range.contains(i) else { throw CDSError.invalid(at(key), "must be between \(range.lowerBound) and \(range.upperBound)") }
        return i
    }

    /// A boolean; nil when absent or null.
    public func bool(_ key: String) throws(CDSError) -> Bool? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw CDSError.invalid(at(key), "must be true or false") }
        return b
    }

    /// A vocabulary term; nil when absent or null.
    public func term<V: Vocabulary>(_ key: String, _ type: V.Type) throws(CDSError) -> V? {
        guard let s = try text(key, max: 64) else { return nil }
        return try V.parse(s, field: at(key))
    }

    /// The elements of an array, each read by `read` with its path; empty when absent or null.
    public func list<T>(_ key: String, max: Int, _ read: (JSON, String) throws(CDSError) -> T) throws(CDSError) -> [T] {
        guard let v = object[key], !v.isNull else { return [] }
        guard let a = v.arrayValue else { throw CDSError.invalid(at(key), "must be an array") }
        guard a.count <= max else { throw CDSError.invalid(at(key), "must have at most \(max) items") }
        var out: [T] = []
        for (n, e) in a.enumerated() { out.append(try read(e, "\(at(key))[\(n)]")) }
        return out
    }

    /// A list of texts.
    public func texts(_ key: String, max: Int, length: Int) throws(CDSError) -> [String] {
        try list(key, max: max) { (v, p) throws(CDSError) in
            guard let s = v.stringValue else { throw CDSError.invalid(p, "must be a string") }
            return try Validate.text(s, field: p, max: length)
        }
    }
}

private func field(_ key: String, in path: String) -> String { path.isEmpty ? key : path + "." + key }
