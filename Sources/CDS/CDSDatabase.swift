import CDSCore
import CDSStore

/// How to open a database, as the C door's `options_json` says it.
public struct OpenOptions: Sendable {
    /// The store options.
    public var store: StoreOptions
    /// The handle acts as the trusted system (imports, jobs, an operator on the file): every
    /// method is allowed and nothing is withheld. Default false: each call acts as its `actor`,
    /// or as an anonymous visitor, as the access table says.
    public var trusted: Bool

    /// Options; defaults suit a portal.
    public init(store: StoreOptions = StoreOptions(), trusted: Bool = false) { self.store = store; self.trusted = trusted }

    /// A trusted handle with the default store options.
    public static let trusted = OpenOptions(trusted: true)

    /// Parses `{"now", "busy_timeout_ms", "read_only", "live", "snapshot_after_events", "trusted"}`;
    /// unknown keys are refused.
    public init(json: JSON?) throws(CDSError) {
        store = StoreOptions()
        trusted = false
        guard let json, !json.isNull else { return }
        let schema = Schema.object([
            .init("now", .instant, "a fixed clock"),
            .init("busy_timeout_ms", .integer(min: 0, max: 600_000), "how long a write waits for another writer"),
            .init("read_only", .boolean, "open without writing"),
            .init("live", .boolean, "keep the matcher and the indicator engine current as the database is written to (default true; false builds them afresh on every call)"),
            .init("snapshot_after_events", .integer(min: 0, max: 1_000_000_000), "how many events the log gains before the engines' snapshots are written again, so that the next open does not read every event (default 20000; 0 never writes one)"),
            .init("trusted", .boolean, "act as the trusted system: every method allowed, nothing withheld (default false: each call acts as its actor)"),
        ])
        try schema.validate(json, at: "")
        if let now = json["now"]?.stringValue { store.now = Instant(now) }
        if let t = json["busy_timeout_ms"]?.intValue { store.busyTimeoutMilliseconds = Int(t) }
        if let r = json["read_only"]?.boolValue { store.readOnly = r }
        if let l = json["live"]?.boolValue { store.live = l }
        if let n = json["snapshot_after_events"]?.intValue { store.snapshotAfterEvents = Int(n) }
        if let t = json["trusted"]?.boolValue { trusted = t }
    }
}

/// A CDS database: the facade that Swift apps use and that every door calls.
///
/// ```swift
/// let db = try CDSDatabase(path: "cds.sqlite", options: .trusted)  // the trusted system
/// let t = try db.call("territory.get", params: ["code": "09.541.11.33"]).get()   // JSON values
/// let answer = db.call("territory.get", #"{"code": "09.541.11.33"}"#)            // JSON text, as the C door
/// ```
///
/// Opened without ``OpenOptions/trusted``, each call acts as its `actor` param (a member's
/// id), or as an anonymous visitor, and the access table decides (<doc:WhoMayDoWhat>).
///
/// Safe to share between threads.
public final class CDSDatabase: Sendable {
    /// The store under the facade, for the project's own tests, benchmarks and data
    /// generators (`@_spi(Tooling) import CDS`); not part of the library's API: a Swift app
    /// calls the methods, as every door does.
    @_spi(Tooling) public let store: Store

    /// The library's semantic version.
    public static let version = "0.1.0"
    /// True when the handle acts as the trusted system (``OpenOptions/trusted``).
    public let trusted: Bool

    /// The C ABI version it implements.
    public static let abiVersion = 1
    /// The largest params text accepted, in bytes.
    public static let maxParamsBytes = 16 * 1024 * 1024

    /// Opens (creating and migrating) the database at `path`, or `:memory:`.
    public init(path: String, options: OpenOptions = OpenOptions()) throws(CDSError) {
        store = try Store(path: path, options: options.store)
        trusted = options.trusted
    }

    /// Calls a method with params, answering the result or a contract error. Never traps.
    /// `progress` is told how far a long call (`import.csv`, `export.csv`) has come.
    public func call(_ method: String, params: JSON, progress: ProgressHandler? = nil) -> Result<JSON, CDSError> {
        let stop = store.interrupter.token()
        guard let m = MethodTable.byName[method] else {
            return .failure(CDSError(.unknownMethod, "no method \"\(method)\": meta.methods lists them", details: ["method": .string(method)]))
        }
        let p = params.isNull ? JSON.object(JSONObject()) : params
        do {
            try m.schema.validate(p, at: "")
            let params = Params(p.objectValue ?? JSONObject(), method: m.name, keys: m.declaredKeys)
            let locale = try params.term("locale", Locale.self) ?? .fr
            let actor = params.string("actor")
            let viewer = try store.viewer(actor: actor, trusted: trusted)
            try authorize(m, params, viewer)
            let change = m.mutating ? Change(actor: actor, at: try params.instant("at")) : Change(actor: actor)
            do {
                return .success(try m.handler(Call(db: self, params: params, locale: locale, change: change, viewer: viewer, stop: stop, progress: progress)))
            } catch {
                return .failure(error.localized(locale))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Refuses the call (`forbidden`, with the rule's key in `details.rule`) unless the access
    /// table admits the viewer to the method and to each restricted param it gives.
    func authorize(_ m: Method, _ params: Params, _ viewer: Viewer) throws(CDSError) {
        let rule = m.access
        func holds(_ r: Relation) throws(CDSError) -> Bool {
            guard let me = viewer.id, let id = params.string(r.param) else { return false }
            return try store.holds(r, id: id, actor: me)
        }
        func refuse(_ key: String, _ what: String) -> CDSError {
            var d: JSONObject = ["method": .string(m.name), "as": .string(viewer.kind.rawValue)]
            if let id = viewer.id { d["actor"] = .string(id); d["roles"] = .strings(viewer.roles.map(\.rawValue).sorted()) }
            let who = viewer.id.map { "member \($0)" } ?? "an anonymous visitor"
            return Visibility.forbidden(key, "\(who) may not \(what): see meta.methods (access) for who may", details: d)
        }
        guard try AccessRule.admits(rule.grants, viewer, holds: holds) else { throw refuse(m.name, "call \(m.name)") }
        for (name, grants) in rule.params {
            guard let v = params.value(name), !v.isNull, v.boolValue != false else { continue }
            guard try AccessRule.admits(grants, viewer, holds: holds) else { throw refuse("\(m.name).\(name)", "use \(name) in \(m.name)") }
        }
    }

    /// Stops every call in progress on this database soon, from any thread: each answers
    /// `interrupted`, and what it was writing is rolled back. Calls made afterwards run as usual.
    public func interrupt() { store.interrupt() }

    /// The JSON door: params as text, the answer as `{"result": …}` or `{"error": …}` text.
    public func call(_ method: String, _ paramsText: String?) -> (ok: Bool, text: String) {
        let answer = callJSON(method, paramsText)
        switch answer {
        case .success(let r): return (true, JSON.object(["result": r]).text)
        case .failure(let e): return (false, e.json.text)
        }
    }

    /// Parses the params text and calls the method.
    func callJSON(_ method: String, _ paramsText: String?) -> Result<JSON, CDSError> {
        guard let text = paramsText else { return call(method, params: .null) }
        guard text.utf8.count <= CDSDatabase.maxParamsBytes else {
            return .failure(CDSError(.invalidJSON, "params are larger than \(CDSDatabase.maxParamsBytes / 1024 / 1024) MiB"))
        }
        do {
            return call(method, params: try JSON.parse(text))
        } catch {
            return .failure(CDSError(.invalidJSON, "params are not valid JSON: \(error.reason) at byte \(error.offset)",
                                     details: ["offset": .int(Int64(error.offset))]))
        }
    }
}

extension CDSError {
    /// The error with the checklist items of `details.missing` labelled in `locale`.
    func localized(_ locale: Locale) -> CDSError {
        guard let missing = details["missing"]?.arrayValue else { return self }
        var e = self
        e.details["missing"] = .array(missing.map { item in
            guard var o = item.objectValue else { return item }
            if let l = o["labels"]?[locale.rawValue] { o["label"] = l }
            o["labels"] = nil
            return .object(o)
        })
        return e
    }
}
