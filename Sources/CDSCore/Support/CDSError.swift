/// The error every public method answers: a stable code, a readable message, and details
/// a program can act on. The C door writes it as `{"error": {"code", "message", "details"}}`.
public struct CDSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable error codes of the contract (API.md).
    public enum Code: String, Sendable, CaseIterable {
        case invalidJSON = "invalid_json"
        case unknownMethod = "unknown_method"
        case invalidParams = "invalid_params"
        case notFound = "not_found"
        case conflict
        case transitionNotAllowed = "transition_not_allowed"
        case forbidden
        case storage
        case busy
        /// A long call stopped by `cds_interrupt`; nothing was written.
        case interrupted
        case `internal`
    }

    /// The code.
    public var code: Code
    /// A sentence for a person.
    public var message: String
    /// Structured details (`field` and `reason` for invalid params, `missing` for transitions…).
    public var details: JSONObject

    /// An error with a code, a message and details.
    public init(_ code: Code, _ message: String, details: JSONObject = JSONObject()) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// A call stopped by `cds_interrupt`.
    public static let interrupted = CDSError(.interrupted, "the call was interrupted (cds_interrupt): nothing was written")

    /// A parameter that is missing, mistyped or out of its domain.
    public static func invalid(_ field: String, _ reason: String) -> CDSError {
        CDSError(.invalidParams, "\(field): \(reason)", details: JSONObject([("field", .string(field)), ("reason", .string(reason))]))
    }

    /// An entity that does not exist.
    public static func notFound(_ entity: String, _ id: String) -> CDSError {
        CDSError(.notFound, "no \(entity) \"\(id)\"", details: JSONObject([("entity", .string(entity)), ("id", .string(id))]))
    }

    /// The JSON form of the error, `{"error": {...}}`.
    public var json: JSON {
        ["error": .object(JSONObject([("code", .string(code.rawValue)), ("message", .string(message)), ("details", .object(details))]))]
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
