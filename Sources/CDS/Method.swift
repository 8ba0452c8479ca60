import CDSCore
import CDSStore

/// Told how far a long call has come: what is done and, when known, the total (the bytes of a
/// file read, the rows written). Called on the calling thread, between steps.
public typealias ProgressHandler = @Sendable (_ done: Int64, _ total: Int64?) -> Void

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
    /// Who calls, as access control resolved the `actor` (or the trusted handle).
    public let viewer: Viewer
    /// Raised by `cds_interrupt` while the call runs; long loops check it.
    public let stop: InterruptToken
    /// Told how far a long call (an import, an export) has come, when the caller asked.
    public let progress: ProgressHandler?
}

/// A JSON method: its name, what it does, its params' schema and its handler.
public struct Method: Sendable {
    /// The name, `namespace.verb`.
    public let name: String
    /// One sentence for `meta.methods`.
    public let summary: String
    /// The params' properties (`locale` and `actor`, and `at` for changes, are added).
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
            props.append(.init("actor", .id, "the member who acts (absent: an anonymous visitor), checked against the access table and recorded in the event log"))
            props.append(.init("at", .instant, "when it happened (to import history); default: now"))
        } else {
            props.append(.init("actor", .id, "the member who asks (absent: an anonymous visitor): the access table decides what she sees"))
        }
        schema = .object(props)
        declaredKeys = Set(props.map(\.name))
    }

    /// The names of the params its schema declares, common ones included.
    @_spi(Tooling) public let declaredKeys: Set<String>

    /// The full params schema, common properties included (made once, checked on every call).
    public let schema: Schema

    /// Who may call it (``AccessTable``).
    public var access: AccessRule { AccessTable.rule(name) }
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

    /// `{"items": [...], "next_cursor": …, "withheld": n}`: the items the caller may see
    /// (`item` answers nil for one she may not), and, when any was, how many of the page were
    /// left out (a page may then hold fewer than `limit` items, none even, and go on).
    static func visible<T, E: Error>(_ page: Page<T>, _ item: (T) throws(E) -> JSON?) throws(E) -> JSON {
        var items: [JSON] = []
        var withheld: Int64 = 0
        for t in page.items {
            if let j = try item(t) { items.append(j) } else { withheld += 1 }
        }
        var o: JSONObject = ["items": .array(items), "next_cursor": .optional(page.nextCursor)]
        if withheld > 0 { o["withheld"] = .int(withheld) }
        return .object(o)
    }
}

/// Every method of the library, by name: the one table every door dispatches through.
public enum MethodTable {
    /// The methods, in the order `meta.methods` lists them.
    public static let all: [Method] = MetaMethods.all + ReferenceMethods.all + OrganizationMethods.all + MemberMethods.all
        + AgreementMethods.all + ProjectMethods.all + NeedMethods.all + OfferMethods.all + MatchMethods.all + ContributionMethods.all + IndicatorMethods.all + EventMethods.all + BatchMethods.all
        + InvitationMethods.all + OutreachMethods.all + SpaceMethods.all + ResourceMethods.all + LearningEventMethods.all + ModuleMethods.all
        + CampaignMethods.all + GiftMethods.all + PoolMethods.all + ProgrammeMethods.all
        + CSVMethods.all + IATIMethods.all + BackupMethods.all

    /// The methods by name.
    public static let byName: [String: Method] = {
        var d: [String: Method] = [:]
        for m in all { d[m.name] = m }
        return d
    }()
}
