import CDSCore

/// Setting a method's params from options: an absent option leaves the method's default.
extension JSONObject {
    /// Sets `key` to a string when one is given.
    mutating func put(_ key: String, _ value: String?) { if let value { self[key] = .string(value) } }

    /// Sets `key` to a term's code when one is given.
    mutating func put<V: Vocabulary>(_ key: String, _ value: V?) { if let value { self[key] = .string(value.rawValue) } }

    /// Sets `key` to an integer when one is given.
    mutating func put(_ key: String, _ value: Int?) { if let value { self[key] = .int(Int64(value)) } }

    /// Sets `key` to a boolean when one is given.
    mutating func put(_ key: String, _ value: Bool?) { if let value { self[key] = .bool(value) } }

    /// Sets `key` to any JSON value when one is given.
    mutating func put(_ key: String, _ value: JSON?) { if let value { self[key] = value } }

    /// Sets `key` to a list of strings when the option was repeated at least once.
    mutating func put(_ key: String, _ values: [String]) { if !values.isEmpty { self[key] = .strings(values) } }
}
