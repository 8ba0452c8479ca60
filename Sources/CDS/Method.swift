import CDSCore
import CDSStore

/// One call in progress: the database, the validated params, the locale and who acts when.
public struct Call: Sendable {
    /// The database.
    public let db: CDSDatabase
    /// The params, validated against the method's schema.
    public let params: Params
    /// The language of labels (`locale`, default fr).
    public let locale: Locale
    /// `actor` and `at`, for methods that change something.
    public let change: Change
    /// Raised by `cds_interrupt` while the call runs; long loops check it.
    public let stop: InterruptToken
}

/// A JSON method: its name, what it does, its params' schema and its handler.
public struct Method: Sendable {
    /// The name, `namespace.verb`.
    public let name: String
    /// One sentence for `meta.methods`.
    public let summary: String
    /// The params' properties (`locale`, and `actor` and `at` for changes, are added).
    public let properties: [Schema.Property]
    /// True when it changes the database (it then takes `actor` and `at`).
    public let mutating: Bool
    /// Answers the result.
    public let handler: @Sendable (Call) throws(CDSError) -> JSON

    /// A method.
    public init(_ name: String, _ summary: String, mutating: Bool = false, _ properties: [Schema.Property],
                _ handler: @escaping @Sendable (Call) throws(CDSError) -> JSON) {
        self.name = name; self.summary = summary; self.mutating = mutating; self.properties = properties; self.handler = handler
        var props = properties
        props.append(.init("locale", .vocabulary(Locale.self), "language of labels: fr (default), ar or en"))
        if mutating {
            props.append(.init("actor", .id, "the member who acts, recorded in the event log"))
            props.append(.init("at", .instant, "when it happened (to import history); default: now"))
        }
        schema = .object(props)
        declaredKeys = Set(props.map(\.name))
    }

    /// The names of the params its schema declares, common ones included.
    let declaredKeys: Set<String>

    /// The full params schema, common properties included (made once, checked on every call).
    public let schema: Schema
}

/// Properties that lists share.
enum Paging {
    static let limit = Schema.Property("limit", .integer(min: 1, max: Int64(Limits.page)), "page size, 1 to \(Limits.page) (default 100)")
    static let cursor = Schema.Property("cursor", .string(maxLength: 200), "next_cursor of the previous page")
    static let query = Schema.Property("q", .string(maxLength: Limits.query), "name contains (case and accents ignored)")

    /// `{"items": [...], "next_cursor": …}`.
    static func json<T, E: Error>(_ page: Page<T>, _ item: (T) throws(E) -> JSON) throws(E) -> JSON {
        ["items": .array(try page.items.map(item)), "next_cursor": .optional(page.nextCursor)]
    }
}

/// Every method of the library, by name: the one table every door dispatches through.
public enum MethodTable {
    /// The methods, in the order `meta.methods` lists them.
    public static let all: [Method] = MetaMethods.all + ReferenceMethods.all + OrganizationMethods.all + MemberMethods.all
        + AgreementMethods.all + ProjectMethods.all + NeedMethods.all + OfferMethods.all + MatchMethods.all + ContributionMethods.all + IndicatorMethods.all + EventMethods.all + BatchMethods.all
        + CSVMethods.all + IATIMethods.all + BackupMethods.all

    /// The methods by name.
    public static let byName: [String: Method] = {
        var d: [String: Method] = [:]
        for m in all { d[m.name] = m }
        return d
    }()
}
