import CDSCore
import CDSStore
#if canImport(Glibc)
import Glibc
#endif

/// `import.csv` and `export.csv`: members, organizations, offers, needs and projects as the
/// spreadsheets of associations and communes hold them, and indicators for a spreadsheet.
enum CSVMethods {
    /// The most problems one answer lists (the count says how many there were).
    static let maxProblems = 10_000
    /// The most row actions one answer lists.
    static let maxActions = 1_000

    static let source: [Schema.Property] = [
        .init("csv", .string(maxLength: CDSDatabase.maxParamsBytes), "the file's text (params are at most 16 MiB: a larger file goes by path)"),
        .init("path", .string(maxLength: 4096), "a file the library reads, streamed in bounded memory (UTF-8, with or without a BOM)"),
    ]

    static let all: [Method] = [
        // access: an admin or a facilitator, or a trusted handle (path reads a file of the host: trusted handles only). The answer
        // quotes the cells of faulty rows, contact fields included: only those who may import may see it.
        Method("import.csv", "Imports members, organizations, offers, needs or projects from CSV (header row; `,` or `;`; quotes; BOM): "
                   + "dry_run answers what would be created or updated and every problem {row, column, value, reason} and writes nothing; "
                   + "a real import is all or nothing; a row whose ref was imported before updates that entity instead of duplicating it.",
               mutating: true,
               [.init("entity", .vocabulary(ImportEntity.self), required: true, "members, organizations, offers, needs or projects")] + source + [
                .init("mapping", .map(.string(maxLength: 100), maxItems: 200), "header → field (e.g. {\"Nom\": \"name\"}; \"\" ignores a column); the usual French and English names need none"),
                .init("defaults", .map(.string(maxLength: 1000), maxItems: 100), "field → cell text for rows whose cell is missing (e.g. {\"roles\": \"diaspora\"})"),
                .init("separator", .string(maxLength: 1, values: [",", ";"]), "the separator (default: found from the header)"),
                .init("dates", .vocabulary(DateStyle.self), "iso (default) or fr: also DD/MM/YYYY, DD-MM-YYYY and DD.MM.YYYY"),
                .init("dry_run", .boolean, "check every row and answer the report without writing anything"),
               ]) { c throws(CDSError) in
            try CSVImport(c).run()
        },
        // access: an admin or a facilitator (or a trusted handle); members' email and phone are contact fields, redacted for any
        // other caller; path writes a file of the host: trusted handles only.
        Method("export.csv", "Members, organizations, offers, needs or projects as CSV (the columns import.csv reads, with id and ref), "
                   + "or indicators (as of a date, a series, a disaggregation); bom and separator ; for French Excel.",
               [.init("entity", .string(maxLength: 20, values: ImportEntity.codes + ["indicators"]), required: true, "what to export"),
                .init("separator", .string(maxLength: 1, values: [",", ";"]), "the separator (default ,)"),
                .init("bom", .boolean, "begin with a UTF-8 byte order mark (Excel reads accents and Arabic right)"),
                .init("path", .string(maxLength: 4096), "write the file there (streamed page by page; it must not exist) instead of answering csv"),
                .init("as_of", .date, "indicators: the date (default today)"),
                .init("territory", .string(maxLength: 20), "indicators: a commune, province or region"),
                .init("period", .vocabulary(Period.self), "indicators: a series per month, quarter or year, with from and until"),
                .init("from", .date, "indicators: the series' first day"), .init("until", .date, "indicators: the series' last day"),
                .init("disaggregate", .string(maxLength: 32, values: ["gender", "country_of_residence"]), "indicators: one line per group of people"),
               ]) { c throws(CDSError) in
            try CSVExport(c).run()
        },
    ]
}

/// Reads a file in chunks of 64 KiB, handing each to `body`; `progress` is told the bytes read and the file's size.
func readChunks(_ path: String, field: String, progress: ProgressHandler? = nil, _ body: ([UInt8]) throws(CDSError) -> Void) throws(CDSError) {
    guard let f = fopen(path, "rb") else { throw CDSError.invalid(field, "cannot open \(path) for reading") }
    defer { fclose(f) }
    var info = stat()
    let size: Int64? = fstat(fileno(f), &info) == 0 ? Int64(info.st_size) : nil
    var done: Int64 = 0
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n > 0 {
            try body(Array(buffer[0..<n]))
            done += Int64(n)
            progress?(done, size)
        }
        if n < buffer.count {
            if ferror(f) != 0 { throw CDSError(.storage, "reading \(path) failed", details: ["field": .string(field)]) }
            return
        }
    }
}

/// One `import.csv` call: reads the records as they stream, makes each row the params of
/// its entity's create (or update, for a known ref) method, runs it through the method table
/// in the import's transaction, and keeps the report. Not shared between threads.
final class CSVImport {
    let call: Call
    let entity: ImportEntity
    let dryRun: Bool
    let dates: DateStyle
    let mapping: [String: String]
    let defaults: [String: String]
    var header: [String] = []
    var columns: [ImportColumn?] = []
    var refColumn: Int?
    /// True when the header is wrong: rows are still read, but no method is called.
    var blocked = false
    var rows = 0, created = 0, updated = 0, unchanged = 0
    var problems: [ImportProblem] = []
    var problemCount = 0
    var actions: [JSON] = []
    var refs: [String: Int] = [:]

    init(_ c: Call) throws(CDSError) {
        call = c
        let p = c.params
        entity = try p.term("entity", ImportEntity.self) ?? .members
        dryRun = p.bool("dry_run") ?? false
        dates = try p.term("dates", DateStyle.self) ?? .iso
        var m: [String: String] = [:]
        for (k, v) in p.value("mapping")?.objectValue ?? JSONObject() { m[k] = v.stringValue ?? "" }
        mapping = m
        var d: [String: String] = [:]
        for (k, v) in p.value("defaults")?.objectValue ?? JSONObject() {
            guard ImportSpec.columns(entity).contains(where: { $0.path == k }) else {
                throw CDSError.invalid("defaults.\(k)", "is no column of \(entity.rawValue)")
            }
            d[k] = v.stringValue ?? ""
        }
        defaults = d
    }

    func problem(_ p: ImportProblem) {
        problemCount += 1
        if problems.count < CSVMethods.maxProblems { problems.append(p) }
    }

    func run() throws(CDSError) -> JSON {
        let p = call.params
        let text = p.string("csv"), path = p.string("path")
        guard (text == nil) != (path == nil) else { throw CDSError.invalid("csv", "give the file's text (csv) or its path, one of the two") }
        let separator = p.string("separator").flatMap { $0.utf8.first }
        let store = call.db.store
        let dry = dryRun
        return try store.rehearse(keep: { _ in !dry && self.problemCount == 0 }) { () throws(CDSError) -> JSON in
            var reader = CSVStream(separator: separator)
            let emit = { (r: CSVStream.Record) throws(CDSError) in try self.record(r) }
            if let text {
                // In slices of 64 KiB, so that a long import tells how far it has come.
                let bytes = Array(text.utf8)
                var start = 0
                while start < bytes.count {
                    let end = min(start + 65_536, bytes.count)
                    try reader.feed(bytes[start..<end], emit)
                    start = end
                    call.progress?(Int64(end), Int64(bytes.count))
                }
            } else if let path {
                try readChunks(path, field: "path", progress: call.progress) { chunk throws(CDSError) in try reader.feed(chunk, emit) }
            }
            try reader.finish(emit)
            if header.isEmpty { problem(ImportProblem(row: 1, column: nil, value: nil, reason: "the file is empty: it needs a header row")) }
            let report = self.report(separator: reader.separator)
            if !dry, problemCount == 0, created + updated > 0 {
                try store.logImport(["entity": .string(entity.rawValue), "rows": .int(Int64(rows)), "created": .int(Int64(created)),
                                     "updated": .int(Int64(updated)), "unchanged": .int(Int64(unchanged))], change: call.change)
            }
            return report
        }
    }

    func report(separator: UInt8?) -> JSON {
        let written = !dryRun && problemCount == 0
        return .object(JSONObject([
            ("entity", .string(entity.rawValue)), ("dry_run", .bool(dryRun)), ("written", .bool(written)),
            ("separator", .optional(separator.map { String(UnicodeScalar($0)) })),
            ("rows", .int(Int64(rows))), ("created", .int(Int64(created))), ("updated", .int(Int64(updated))), ("unchanged", .int(Int64(unchanged))),
            ("problems", .array(problems.map(\.json))), ("problem_count", .int(Int64(problemCount))),
            ("actions", .array(actions)), ("actions_truncated", .bool(rows > actions.count)),
        ]))
    }

    /// The header, or one data row.
    func record(_ r: CSVStream.Record) throws(CDSError) {
        try call.stop.check()
        if header.isEmpty {
            header = r.fields.map(Validate.trimmed)
            if let d = r.damage { problem(ImportProblem(row: r.number, column: nil, value: nil, reason: d)) }
            let resolved = ImportSpec.resolve(header: header, entity: entity, mapping: mapping)
            columns = resolved.columns
            refColumn = columns.firstIndex { $0?.path == "ref" }
            for p in resolved.problems { problem(p) }
            blocked = !resolved.problems.isEmpty
            if let create = MethodTable.byName["\(entity.singular).create"] {
                let given = Set(columns.compactMap { $0?.path.split(separator: ".").first.map(String.init) } + defaults.keys.compactMap { $0.split(separator: ".").first.map(String.init) })
                for prop in create.properties where prop.required && !given.contains(prop.name) {
                    problem(ImportProblem(row: r.number, column: nil, value: nil, reason: "no column gives \(prop.name), which a new \(entity.singular) requires (map one, or give it in defaults)"))
                    blocked = true
                }
            }
            return
        }
        rows += 1
        let row = r.number
        if let d = r.damage { problem(ImportProblem(row: row, column: nil, value: nil, reason: d)); return }
        guard r.fields.count == header.count else {
            let raw = r.fields.joined(separator: ",")
            problem(ImportProblem(row: row, column: nil, value: String(raw.prefix(200)),
                                  reason: "has \(r.fields.count) field(s) where the header has \(header.count): check the separator and the quotes of this row"))
            return
        }
        let store = call.db.store
        let ref = refColumn.map { Validate.trimmed(r.fields[$0]) }.flatMap { $0.isEmpty ? nil : $0 }
        if let ref {
            if let first = refs[ref] {
                problem(ImportProblem(row: row, column: refColumn.map { header[$0] }, value: ref, reason: "the ref is repeated: row \(first) has it too"))
                return
            }
            refs[ref] = row
        }
        let existing = try ref.flatMap { r throws(CDSError) in try store.externalRef(entity.singular, r) }
        let converted = try ImportSpec.params(r.fields, entity: entity, header: header, columns: columns, row: row, dates: dates, defaults: defaults,
                                              update: existing != nil, resolve: resolve)
        for p in converted.problems { problem(p) }
        guard converted.problems.isEmpty, !blocked else { return }
        var params = converted.params
        params["locale"] = .string(call.locale.rawValue)
        if let a = call.change.actor { params["actor"] = .string(a) }
        if params["at"] == nil, let at = call.change.at { params["at"] = .string(at.description) }
        do {
            if let id = existing {
                let method = "\(entity.singular).update"
                let keys = MethodTable.byName[method]?.declaredKeys ?? []
                for k in params.keys where !keys.contains(k) { params[k] = nil }
                params["id"] = .string(id)
                let changed = try store.savepoint { () throws(CDSError) -> (Bool, keep: Bool) in
                    var get: JSONObject = ["id": .string(id)]
                    if let a = call.change.actor { get["actor"] = .string(a) }   // each row acts as the import's actor
                    let before = try call.db.call("\(entity.singular).get", params: .object(get)).get()
                    let after = try call.db.call(method, params: .object(params)).get()
                    let changed = CSVImport.comparable(before) != CSVImport.comparable(after)
                    return (changed, keep: changed)
                }
                if changed { updated += 1 } else { unchanged += 1 }
                action(row, ref, changed ? "updated" : "unchanged", id)
            } else {
                let result = try call.db.call("\(entity.singular).create", params: .object(params)).get()
                let id = result["id"]?.stringValue ?? ""
                if let ref { try store.bindExternalRef(entity.singular, ref, id: id) }
                created += 1
                action(row, ref, "created", dryRun ? nil : id)
            }
        } catch {
            if error.code == .interrupted || error.code == .storage || error.code == .busy || error.code == .internal { throw error }
            let field = error.details["field"]?.stringValue ?? ""
            let column = ImportSpec.column(for: field, header: header, columns: columns)
            let value = column.flatMap { h in header.firstIndex(of: h).map { r.fields[$0] } }
            problem(ImportProblem(row: row, column: column, value: value, reason: error.message))
        }
    }

    func action(_ row: Int, _ ref: String?, _ what: String, _ id: String?) {
        guard actions.count < CSVMethods.maxActions else { return }
        actions.append(.object(JSONObject([("row", .int(Int64(row))), ("ref", .optional(ref)), ("action", .string(what)), ("id", .optional(id))])))
    }

    /// An entity's answer without `updated_at`, to tell an update that changes nothing.
    static func comparable(_ j: JSON) -> JSON {
        guard var o = j.objectValue else { return j }
        o["updated_at"] = nil
        return .object(o)
    }

    /// The id a reference cell names: a ref this entity's imports bound, an id, or (projects) a code.
    func resolve(_ entity: String, _ text: String) throws(CDSError) -> String? {
        let store = call.db.store
        if let id = try store.externalRef(entity, text) { return id }
        if try store.entityExists(entity, text) { return text }
        if entity == "project" { return try store.projectID(code: text) }
        return nil
    }
}

/// One `export.csv` call.
struct CSVExport {
    let call: Call

    init(_ c: Call) { call = c }

    func run() throws(CDSError) -> JSON {
        let p = call.params
        let writer = CSVWriter(separator: p.string("separator") == ";" ? ";" : ",")
        let what = p.string("entity") ?? ""
        var sink = try Sink(path: p.string("path"), bom: p.bool("bom") ?? false)
        defer { sink.close() }
        var rows = 0
        if what == "indicators" {
            rows = try indicators(writer, &sink)
        } else {
            for (k, _) in [("as_of", 0), ("territory", 0), ("period", 0), ("from", 0), ("until", 0), ("disaggregate", 0)] where p.has(k) {
                throw CDSError.invalid(k, "goes with entity indicators only")
            }
            guard let entity = ImportEntity(rawValue: what) else { throw CDSError.invalid("entity", "must be one of \((ImportEntity.codes + ["indicators"]).joined(separator: ", "))") }
            rows = try entities(entity, writer, &sink)
        }
        try sink.finish()
        var o = JSONObject([("entity", .string(what)), ("rows", .int(Int64(rows))), ("bytes", .int(Int64(sink.bytes)))])
        if let path = sink.path { o["path"] = .string(path) } else { o["csv"] = .string(sink.text) }
        return .object(o)
    }

    /// Every entity, page by page, as the columns `import.csv` reads (with `id` first).
    func entities(_ entity: ImportEntity, _ w: CSVWriter, _ sink: inout Sink) throws(CDSError) -> Int {
        let columns = ImportSpec.columns(entity)
        try sink.write(w.line(["id"] + columns.map(\.path)))
        var cursor: String?
        var rows = 0
        repeat {
            try call.stop.check()
            var params: JSONObject = ["limit": .int(Int64(Limits.page)), "locale": .string(call.locale.rawValue)]
            if let a = call.change.actor { params["actor"] = .string(a) }   // the list as the exporter may see it
            if let cursor { params["cursor"] = .string(cursor) }
            let page = try call.db.call("\(entity.singular).list", params: .object(params)).get()
            for item in page["items"]?.arrayValue ?? [] {
                let id = item["id"]?.stringValue ?? ""
                var cells = [id]
                for c in columns {
                    if c.path == "ref" { cells.append(try call.db.store.externalRef(entity.singular, id: id) ?? ""); continue }
                    if c.path == "at" { cells.append(String((item["created_at"]?.stringValue ?? "").prefix(10))); continue }
                    if case .consent(let purpose) = c.kind {
                        let consent = item["consents"]?.arrayValue?.first { $0["purpose"]?.stringValue == purpose && $0["withdrawn_at"]?.isNull != false }
                        cells.append(consent?["version"]?.stringValue ?? "")
                        continue
                    }
                    cells.append(CSVExport.cell(CSVExport.value(item, c.path)))
                }
                try sink.write(w.line(cells))
                rows += 1
            }
            cursor = page["next_cursor"]?.stringValue
            call.progress?(Int64(rows), nil)
        } while cursor != nil
        return rows
    }

    /// The value at a dotted path (`capacity.amount`; `windows.from`: the first window's).
    static func value(_ j: JSON, _ path: String) -> JSON? {
        var v: JSON? = j
        for part in path.split(separator: ".") {
            if let a = v?.arrayValue { v = a.first }
            v = v?[String(part)]
        }
        return v
    }

    /// A JSON value as a cell: lists joined by `|`.
    static func cell(_ v: JSON?) -> String {
        guard let v, !v.isNull else { return "" }
        if let s = v.stringValue { return s }
        if let a = v.arrayValue { return a.map { cell($0) }.joined(separator: "|") }
        if let b = v.boolValue { return b ? "true" : "false" }
        if let i = v.intValue { return String(i) }
        if let d = v.doubleValue { return String(d) }
        return v.text
    }

    /// `indicators.compute` as lines: period, as_of, territory, indicator, label, group, value, target, progress.
    func indicators(_ w: CSVWriter, _ sink: inout Sink) throws(CDSError) -> Int {
        let p = call.params
        var params: JSONObject = ["locale": .string(call.locale.rawValue)]
        if let a = call.change.actor { params["actor"] = .string(a) }
        for k in ["as_of", "territory", "period", "from", "until", "disaggregate"] { if let v = p.value(k) { params[k] = v } }
        let r = try call.db.call("indicators.compute", params: .object(params)).get()
        let reports: [(String, JSON)] = r["series"]?.arrayValue?.map { ($0["period"]?.stringValue ?? "", $0) } ?? [("", r)]
        try sink.write(w.line(["period", "as_of", "territory", "indicator", "label", "group", "value", "target", "progress"]))
        var rows = 0
        for (period, rep) in reports {
            for i in rep["indicators"]?.arrayValue ?? [] {
                let value = i["money"].map { m in CSVExport.cell(m["minor"]) + " " + CSVExport.cell(m["currency"]) } ?? CSVExport.cell(i["value"])
                let base = [period, CSVExport.cell(rep["as_of"]), CSVExport.cell(rep["territory"]), CSVExport.cell(i["id"]), CSVExport.cell(i["label"])]
                try sink.write(w.line(base + ["", value, CSVExport.cell(i["target"]), CSVExport.cell(i["progress"])]))
                rows += 1
                for g in i["disaggregation"]?.arrayValue ?? [] {
                    try sink.write(w.line(base + [CSVExport.cell(g["key"]), g["suppressed"] == true ? "<5" : CSVExport.cell(g["value"]), "", ""]))
                    rows += 1
                }
            }
        }
        return rows
    }
}

/// Where an export goes: a new file, written as it goes, or a text answered at the end.
struct Sink {
    let path: String?
    private var file: UnsafeMutablePointer<FILE>?
    private(set) var text = ""
    private(set) var bytes = 0

    init(path: String?, bom: Bool) throws(CDSError) {
        self.path = path
        if let path {
            guard !path.isEmpty, !path.utf8.contains(0) else { throw CDSError.invalid("path", "must be a file path") }
            // "x": never overwrite a file.
            guard let f = fopen(path, "wx") else { throw CDSError.invalid("path", "cannot create \(path) (it must not exist, and its folder must)") }
            file = f
        }
        if bom { try write("\u{FEFF}") }
    }

    mutating func write(_ s: String) throws(CDSError) {
        bytes += s.utf8.count
        if let file {
            let n = s.utf8.withContiguousStorageIfAvailable { fwrite($0.baseAddress, 1, $0.count, file) } ?? Array(s.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            guard n == s.utf8.count else { throw CDSError(.storage, "writing \(path ?? "") failed (disk full?)", details: ["field": "path"]) }
        } else {
            guard bytes <= CDSDatabase.maxParamsBytes else {
                throw CDSError.invalid("path", "the export is larger than 16 MiB: give a path to write it to")
            }
            text += s
        }
    }

    mutating func finish() throws(CDSError) {
        if let file, fflush(file) != 0 { throw CDSError(.storage, "writing \(path ?? "") failed (disk full?)", details: ["field": "path"]) }
    }

    mutating func close() {
        if let file { fclose(file) }
        file = nil
    }
}
