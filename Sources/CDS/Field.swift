import CDSCore

/// One editable field of an entity, declared once: its name, its schema and what it means
/// (for validation, `meta.methods` and the generated docs), whether `create` requires it,
/// whether `update` may clear it with null, and how its value is written onto the entity.
/// A method's `create` and `update` both take their properties and their decoding from the
/// same list of fields, so the two cannot drift and a new field is one line here plus its
/// rule in the core.
struct Field<Root>: Sendable {
    /// The params key.
    let name: String
    /// The schema of a given value (null aside).
    let schema: Schema
    /// True when `create` requires it.
    let required: Bool
    /// True when `update` takes null to clear it.
    let clearable: Bool
    /// What it means, for `meta.methods`.
    let doc: String
    /// Writes a value the schema accepted (nil: null, to clear) onto the entity.
    let write: @Sendable (JSON?, inout Root) throws(CDSError) -> Void

    /// The property of this field in a `create` (update false) or `update` (true) method.
    func property(update: Bool) -> Schema.Property {
        .init(name, update && clearable ? .nullable(schema) : schema, required: required && !update, doc)
    }
}

extension Field {
    /// A field decoded by `decode` from its JSON (given the path for errors) into `key`.
    static func decoded<V>(_ name: String, _ key: any WritableKeyPath<Root, V> & Sendable, _ schema: Schema, required: Bool = false, _ doc: String,
                           _ decode: @escaping @Sendable (JSON, String) throws(CDSError) -> V) -> Field {
        Field(name: name, schema: schema, required: required, clearable: false, doc: doc) { v, root throws(CDSError) in
            guard let v else { throw CDSError.invalid(name, "must not be null") }
            root[keyPath: key] = try decode(v, name)
        }
    }

    /// An optional field decoded by `decode`; null clears it.
    static func optional<V>(_ name: String, _ key: any WritableKeyPath<Root, V?> & Sendable, _ schema: Schema, _ doc: String,
                            _ decode: @escaping @Sendable (JSON, String) throws(CDSError) -> V) -> Field {
        Field(name: name, schema: schema, required: false, clearable: true, doc: doc) { v, root throws(CDSError) in
            root[keyPath: key] = try v.map { j throws(CDSError) in try decode(j, name) }
        }
    }

    /// A free text (trimmed by its reader; blank is refused by the entity's rule when required).
    static func text(_ name: String, _ key: any WritableKeyPath<Root, String> & Sendable, max: Int, required: Bool = false, _ doc: String) -> Field {
        decoded(name, key, .text(maxLength: max), required: required, doc) { j, _ in Validate.trimmed(j.stringValue ?? "") }
    }

    /// An optional free text; null or blank clears it.
    static func text(_ name: String, _ key: any WritableKeyPath<Root, String?> & Sendable, max: Int, _ doc: String) -> Field {
        Field(name: name, schema: .text(maxLength: max), required: false, clearable: true, doc: doc) { v, root in
            let t = Validate.trimmed(v?.stringValue ?? "")
            root[keyPath: key] = t.isEmpty ? nil : t
        }
    }

    /// A string taken as given (a code, an e-mail: the entity's rule checks it).
    static func string(_ name: String, _ key: any WritableKeyPath<Root, String> & Sendable, _ schema: Schema, required: Bool = false, _ doc: String) -> Field {
        decoded(name, key, schema, required: required, doc) { j, _ in j.stringValue ?? "" }
    }

    /// An optional string (a code, an id); null clears it.
    static func string(_ name: String, _ key: any WritableKeyPath<Root, String?> & Sendable, _ schema: Schema, _ doc: String) -> Field {
        optional(name, key, schema, doc) { j, _ in j.stringValue ?? "" }
    }

    /// A date; null clears it.
    static func date(_ name: String, _ key: any WritableKeyPath<Root, LocalDate?> & Sendable, _ doc: String) -> Field {
        optional(name, key, .date, doc, readDate)
    }

    /// A day that always has a value (the draft's default stands when it is not given).
    static func day(_ name: String, _ key: any WritableKeyPath<Root, LocalDate> & Sendable, _ doc: String) -> Field {
        decoded(name, key, .date, doc, readDate)
    }

    /// A `YYYY-MM-DD` the schema accepted, as a day.
    @Sendable static func readDate(_ j: JSON, _ path: String) throws(CDSError) -> LocalDate {
        guard let d = j.stringValue.flatMap(LocalDate.init) else { throw CDSError.invalid(path, "must be a date YYYY-MM-DD") }
        return d
    }

    /// true or false.
    static func bool(_ name: String, _ key: any WritableKeyPath<Root, Bool> & Sendable, _ doc: String) -> Field {
        decoded(name, key, .boolean, doc) { j, path throws(CDSError) in
            guard let b = j.boolValue else { throw CDSError.invalid(path, "must be true or false") }
            return b
        }
    }

    /// A list of codes (the entity's rule and the reference data check them).
    static func codes(_ name: String, _ key: any WritableKeyPath<Root, [String]> & Sendable, of schema: Schema = .codes, _ doc: String) -> Field {
        decoded(name, key, schema, doc) { j, _ in (j.arrayValue ?? []).compactMap(\.stringValue) }
    }

    /// A term of one of the core's vocabularies.
    static func term<V: Vocabulary>(_ name: String, _ key: any WritableKeyPath<Root, V> & Sendable, required: Bool = false, _ doc: String) -> Field {
        decoded(name, key, .vocabulary(V.self), required: required, doc) { j, path throws(CDSError) in try V.parse(j.stringValue ?? "", field: path) }
    }

    /// A list of terms of one vocabulary.
    static func terms<V: Vocabulary>(_ name: String, _ key: any WritableKeyPath<Root, [V]> & Sendable, maxItems: Int, required: Bool = false, _ doc: String) -> Field {
        decoded(name, key, .array(.vocabulary(V.self), maxItems: maxItems), required: required, doc) { j, path throws(CDSError) in
            var out: [V] = []
            for s in j.arrayValue ?? [] { out.append(try V.parse(s.stringValue ?? "", field: path)) }
            return out
        }
    }

    /// A list of values of one shape, each decoded by `decode` (given its path, `name[n]`).
    static func list<V>(_ name: String, _ key: any WritableKeyPath<Root, [V]> & Sendable, of item: Schema, maxItems: Int, _ doc: String,
                        _ decode: @escaping @Sendable (JSON, String) throws(CDSError) -> V) -> Field {
        decoded(name, key, .array(item, maxItems: maxItems), doc) { j, path throws(CDSError) in
            var out: [V] = []
            for (n, e) in (j.arrayValue ?? []).enumerated() { out.append(try decode(e, "\(path)[\(n)]")) }
            return out
        }
    }
}

extension Array {
    /// The properties of these fields in a `create` (update false) or `update` (true) method.
    func properties<Root>(update: Bool) -> [Schema.Property] where Element == Field<Root> { map { $0.property(update: update) } }

    /// Writes every field present in the params onto the entity, in declaration order (null
    /// clears a clearable field; the schema refused null for the others).
    func apply<Root>(_ p: Params, to root: inout Root) throws(CDSError) where Element == Field<Root> {
        for f in self {
            guard let v = p.value(f.name) else { continue }
            try f.write(v.isNull ? nil : v, &root)
        }
    }
}
