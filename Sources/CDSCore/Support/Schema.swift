/// The shape of a method's params: validated before the handler runs (unknown fields,
/// types, enums, lengths, formats), and served as JSON Schema by `meta.methods`.
/// One description, both uses: what is documented is what is checked.
public indirect enum Schema: Sendable {
    /// A string with a maximum length, optionally from a closed list or of a format.
    case string(maxLength: Int, values: [String]? = nil, format: Format? = nil)
    /// A free text: at most `maxLength` characters (Unicode scalars), no control character but
    /// line breaks and tabs; trimmed when read, and blank counts as absent.
    case text(maxLength: Int)
    /// A whole number in a range.
    case integer(min: Int64? = nil, max: Int64? = nil)
    /// Any number, whole or decimal.
    case number
    /// An object whose keys are free (languages of a text), each value of one schema.
    case map(Schema, maxItems: Int)
    /// true or false.
    case boolean
    /// A list of items of one schema.
    case array(Schema, maxItems: Int)
    /// An object with known properties only.
    case object([Property])
    /// The schema, or null (null clears an optional field in updates).
    case nullable(Schema)

    /// String formats that are checked.
    public enum Format: String, Sendable {
        /// `YYYY-MM-DD`, a real day.
        case date
        /// RFC 3339.
        case dateTime = "date-time"
    }

    /// A member of an object schema.
    public struct Property: Sendable {
        /// Its name.
        public var name: String
        /// Its schema.
        public var schema: Schema
        /// True when it must be given.
        public var required: Bool
        /// What it means, for `meta.methods`.
        public var doc: String
        /// A property.
        public init(_ name: String, _ schema: Schema, required: Bool = false, _ doc: String) {
            self.name = name; self.schema = schema; self.required = required; self.doc = doc
        }
    }

    /// What a `.text` allows, as a JSON Schema pattern: no control character but tab, line feed and carriage return.
    public static let printablePattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$"

    /// The property named `name`, for an object schema (nullable ones unwrapped).
    public func property(_ name: String) -> Property? {
        switch self {
        case .object(let props): props.first { $0.name == name }
        case .nullable(let inner): inner.property(name)
        default: nil
        }
    }

    /// The schema without its `nullable` wrapper.
    public var unwrapped: Schema { if case .nullable(let inner) = self { inner.unwrapped } else { self } }

    /// The names of an object schema's properties.
    public var propertyNames: [String] {
        switch self {
        case .object(let props): props.map(\.name)
        case .nullable(let inner): inner.propertyNames
        default: []
        }
    }

    /// A code from a vocabulary of the core (roles, genders, kinds…).
    public static func vocabulary<V: Vocabulary>(_ v: V.Type) -> Schema { .string(maxLength: 64, values: V.codes) }
    /// A business date.
    public static let date = Schema.string(maxLength: 10, format: .date)
    /// An instant.
    public static let instant = Schema.string(maxLength: 40, format: .dateTime)
    /// An opaque id or code.
    public static let id = Schema.string(maxLength: 100)
    /// A list of codes.
    public static let codes = Schema.array(.string(maxLength: 64), maxItems: Limits.listItems)

    /// Checks `value`; the error names the field (`organizations[0].role`) and why.
    public func validate(_ value: JSON, at path: String) throws(CDSError) {
        switch self {
        case .nullable(let inner):
            if value.isNull { return }
            try inner.validate(value, at: path)
        case .string(let maxLength, let values, let format):
            guard case .string(let s) = value else { throw CDSError.invalid(path, "must be a string, not \(value.typeName)") }
            if s.utf8.count > maxLength, s.unicodeScalars.count > maxLength {
                throw CDSError.invalid(path, "must be at most \(maxLength) characters")
            }
            if let values, !values.contains(s) { throw CDSError.invalid(path, "must be one of " + values.joined(separator: ", ")) }
            switch format {
            case .date?: if LocalDate(s) == nil { throw CDSError.invalid(path, "must be a date YYYY-MM-DD") }
            case .dateTime?: if Instant(s) == nil { throw CDSError.invalid(path, "must be an RFC 3339 instant such as 2026-03-01T09:00:00Z") }
            case nil: break
            }
        case .text(let maxLength):
            guard case .string(let s) = value else { throw CDSError.invalid(path, "must be a string, not \(value.typeName)") }
            // The declared length is the raw one, as JSON Schema counts it; trimming comes after.
            guard s.unicodeScalars.count <= maxLength else { throw CDSError.invalid(path, "must be at most \(maxLength) characters") }
            _ = try Validate.optionalText(s, field: path, max: maxLength)
        case .integer(let lo, let hi):
            guard case .int(let i) = value else { throw CDSError.invalid(path, "must be an integer, not \(value.typeName)") }
            if let lo, i < lo { throw CDSError.invalid(path, "must be at least \(lo)") }
            if let hi, i > hi { throw CDSError.invalid(path, "must be at most \(hi)") }
        case .number:
            switch value {
            case .int, .double: break
            default: throw CDSError.invalid(path, "must be a number, not \(value.typeName)")
            }
        case .map(let item, let maxItems):
            guard case .object(let o) = value else { throw CDSError.invalid(path, "must be an object, not \(value.typeName)") }
            guard o.count <= maxItems else { throw CDSError.invalid(path, "must have at most \(maxItems) members") }
            for (k, v) in o { try item.validate(v, at: path + "." + k) }
        case .boolean:
            guard case .bool = value else { throw CDSError.invalid(path, "must be true or false, not \(value.typeName)") }
        case .array(let item, let maxItems):
            guard case .array(let a) = value else { throw CDSError.invalid(path, "must be an array, not \(value.typeName)") }
            guard a.count <= maxItems else { throw CDSError.invalid(path, "must have at most \(maxItems) items") }
            for (n, v) in a.enumerated() { try item.validate(v, at: "\(path)[\(n)]") }
        case .object(let props):
            guard case .object(let o) = value else { throw CDSError.invalid(path.isEmpty ? "params" : path, "must be an object, not \(value.typeName)") }
            let prefix = path.isEmpty ? "" : path + "."
            for (k, _) in o where !props.contains(where: { $0.name == k }) {
                throw CDSError.invalid(prefix + k, "unknown field (known: " + props.map(\.name).joined(separator: ", ") + ")")
            }
            for p in props {
                if let v = o[p.name] {
                    try p.schema.validate(v, at: prefix + p.name)
                } else if p.required {
                    throw CDSError.invalid(prefix + p.name, "is required")
                }
            }
        }
    }

    /// The JSON Schema (draft 2020-12) of this shape.
    public var jsonSchema: JSON {
        switch self {
        case .string(let maxLength, let values, let format):
            var o: JSONObject = ["type": "string", "maxLength": .int(Int64(maxLength))]
            if let values { o["enum"] = .strings(values) }
            if let format { o["format"] = .string(format.rawValue) }
            return .object(o)
        case .text(let maxLength):
            return ["type": "string", "maxLength": .int(Int64(maxLength)), "pattern": .string(Schema.printablePattern)]
        case .integer(let lo, let hi):
            var o: JSONObject = ["type": "integer"]
            if let lo { o["minimum"] = .int(lo) }
            if let hi { o["maximum"] = .int(hi) }
            return .object(o)
        case .boolean: return ["type": "boolean"]
        case .number: return ["type": "number"]
        case .map(let item, let maxItems): return ["type": "object", "additionalProperties": item.jsonSchema, "maxProperties": .int(Int64(maxItems))]
        case .array(let item, let maxItems): return ["type": "array", "items": item.jsonSchema, "maxItems": .int(Int64(maxItems))]
        case .nullable(let inner):
            return ["anyOf": [inner.jsonSchema, ["type": "null"]]]
        case .object(let props):
            var properties = JSONObject()
            for p in props {
                var s = p.schema.jsonSchema.objectValue ?? JSONObject()
                s["description"] = .string(p.doc)
                properties[p.name] = .object(s)
            }
            return ["type": "object", "properties": .object(properties), "required": .strings(props.filter(\.required).map(\.name)),
                    "additionalProperties": false]
        }
    }
}
