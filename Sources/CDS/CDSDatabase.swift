import CDSCore
import CDSStore

/// How to open a database, as the C door's `options_json` says it.
public struct OpenOptions: Sendable {
    /// The store options.
    public var store: StoreOptions

    /// Options; defaults suit a portal.
    public init(store: StoreOptions = StoreOptions()) { self.store = store }

    /// Parses `{"now", "busy_timeout_ms", "read_only", "live"}`; unknown keys are refused.
    public init(json: JSON?) throws(CDSError) {
        store = StoreOptions()
        guard let json, !json.isNull else { return }
        let schema = Schema.object([
            .init("now", .instant, "a fixed clock"),
            .init("busy_timeout_ms", .integer(min: 0, max: 600_000), "how long a write waits for another writer"),
            .init("read_only", .boolean, "open without writing"),
            .init("live", .boolean, "keep the matcher and the indicator engine current as the database is written to (default true; false builds them afresh on every call)"),
        ])
        try schema.validate(json, at: "")
        if let now = json["now"]?.stringValue { store.now = Instant(now) }
        if let t = json["busy_timeout_ms"]?.intValue { store.busyTimeoutMilliseconds = Int(t) }
        if let r = json["read_only"]?.boolValue { store.readOnly = r }
        if let l = json["live"]?.boolValue { store.live = l }
    }
}

/// A CDS database: the facade that Swift apps use and that every door calls.
///
/// ```swift
/// let db = try CDSDatabase(path: "cds.sqlite")
/// let t = try db.call("territory.get", params: ["code": "09.541.11.33"]).get()   // JSON values
/// let answer = db.call("territory.get", #"{"code": "09.541.11.33"}"#)            // JSON text, as the C door
/// ```
///
/// Safe to share between threads.
public final class CDSDatabase: Sendable {
    /// The store under the facade, for the project's own tests, benchmarks and data
    /// generators (`@_spi(Tooling) import CDS`); not part of the library's API: a Swift app
    /// calls the methods, as every door does.
    @_spi(Tooling) public let store: Store

    /// The library's semantic version.
    public static let version = "0.1.0"
    /// The C ABI version it implements.
    public static let abiVersion = 1
    /// The largest params text accepted, in bytes.
    public static let maxParamsBytes = 16 * 1024 * 1024

    /// Opens (creating and migrating) the database at `path`, or `:memory:`.
    public init(path: String, options: OpenOptions = OpenOptions()) throws(CDSError) {
        store = try Store(path: path, options: options.store)
    }

    /// Calls a method with params, answering the result or a contract error. Never traps.
    public func call(_ method: String, params: JSON) -> Result<JSON, CDSError> {
        let stop = store.interrupter.token()
        guard let m = MethodTable.byName[method] else {
            return .failure(CDSError(.unknownMethod, "no method \"\(method)\": meta.methods lists them", details: ["method": .string(method)]))
        }
        let p = params.isNull ? JSON.object(JSONObject()) : params
        do {
            try m.schema.validate(p, at: "")
            let params = Params(p.objectValue ?? JSONObject(), method: m.name, keys: m.declaredKeys)
            let locale = try params.term("locale", Locale.self) ?? .fr
            let change = m.mutating ? Change(actor: params.string("actor"), at: try params.instant("at")) : Change()
            do {
                return .success(try m.handler(Call(db: self, params: params, locale: locale, change: change, stop: stop)))
            } catch {
                return .failure(error.localized(locale))
            }
        } catch {
            return .failure(error)
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
