import CDS
import CDSDemo
import CDSC
import CDSCore
import CDSHeader
import Foundation
import GRDB
import Testing

/// A demo database, damaged in many ways with raw SQLite (rows and payloads: flipped bytes,
/// wrong types, NULLs, truncated JSON, unknown codes, bad dates and instants, missing rows;
/// and pages of the file itself), then called through the C door with every method: every
/// answer is JSON, damage is a `storage` error naming table.column, and nothing crashes.
@Suite("A damaged database file answers JSON errors, never a crash", .serialized)
struct DamagedFileTests {
    // MARK: - The demo, built once

    /// The demo database, built once with today's code, in a folder kept for the run (never
    /// changed after it is built: the tests copy it).
    nonisolated(unsafe) static let demo: (dir: TempDB, path: String) = {
        let dir = TempDB()
        do {
            let db = try dir.open()
            _ = try buildDemo(db)
        } catch {
            Issue.record("the demo does not build: \(error)")
        }
        // One self-contained file (no WAL), so a copy holds everything and pages can be flipped.
        do {
            let q = try DatabaseQueue(path: dir.path)
            try q.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try q.close()
        } catch {
            Issue.record("the demo file cannot be checkpointed: \(error)")
        }
        return (dir, dir.path)
    }()

    /// The one place the tests build the demo.
    static func buildDemo(_ db: CDSDatabase) throws -> Demo.Report { try Demo.build(db) }

    /// What the schema of the demo holds: tables and their columns.
    struct Table {
        var name: String
        var sql: String
        var withoutRowID: Bool
        var columns: [(name: String, type: String, notNull: Bool, pk: Int)]
        var pk: [String] { columns.filter { $0.pk > 0 }.sorted { $0.pk < $1.pk }.map(\.name) }
        var hasID: Bool { columns.contains { $0.name == "id" } }
    }

    static func tables(_ path: String) throws -> [Table] {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in
            try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name
                """).map { r in
                let name: String = try r.decode(forColumn: "name"), sql: String = try r.decode(forColumn: "sql")
                let cols = try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info(?)", arguments: [name]).map { c in
                    (name: try c.decode(String.self, forColumn: "name"), type: try c.decode(String.self, forColumn: "type"),
                     notNull: try c.decode(Int.self, forColumn: "nn") == 1, pk: try c.decode(Int.self, forColumn: "pk"))
                }
                return Table(name: name, sql: sql, withoutRowID: sql.contains("WITHOUT ROWID"), columns: cols)
            }
        }
    }

    // MARK: - Damages

    /// How a value is damaged.
    enum Kind: String, CaseIterable {
        case flippedByte, wrongType, null, emptyBlob, invalidUTF8, truncatedJSON, unknownCode, badDate, farInstant, missingRow, page
    }

    /// One damage of a copy of the demo: what, where, and the id of the entity it touches.
    struct Damage: CustomStringConvertible {
        var kind: Kind
        var table: String
        var column: String
        /// The row, by its primary key (or rowid).
        var key: [(String, DatabaseValue)]
        /// The new value (nil for a deleted row or a page).
        var value: DatabaseValue?
        /// The entity the damaged row belongs to (`member` for a member_role row) and its id.
        var entity: (table: String, id: String)?
        var description: String { "\(kind.rawValue) in \(table).\(column)" }
    }

    /// The value of a column in a row, as SQLite stores it.
    static func stored(_ db: Database, _ t: Table, _ column: String, _ key: [(String, DatabaseValue)]) throws -> DatabaseValue {
        let w = key.map { "\"\($0.0)\" = ?" }.joined(separator: " AND ")
        return try DatabaseValue.fetchOne(db, sql: "SELECT \"\(column)\" FROM \"\(t.name)\" WHERE \(w)", arguments: StatementArguments(key.map(\.1))) ?? .null
    }

    /// The entity a row of `table` belongs to, and whose `get` reads the row.
    static let owner: [String: String] = [
        "member": "member", "member_role": "member", "member_language": "member", "member_skill": "member", "membership": "member",
        "consent": "member", "competence": "member", "organization": "organization", "agreement": "agreement", "project": "project",
        "need": "need", "offer": "offer", "contribution": "contribution", "match": "match", "territory": "territory",
    ]

    /// The columns the entity's `get` reads and decodes (not the keys it looks the row up by,
    /// nor the columns kept only for queries: `search`, `seq`, and those copied from `doc`).
    static let readByGet: [String: Set<String>] = [
        "member": ["name", "email", "phone", "gender", "residence_country", "residence_city", "origin", "heart_diaspora", "adc_commune",
                   "invited_by", "created_at", "updated_at", "erased_at"],
        "member_role": ["role"], "member_language": ["language"], "member_skill": ["skill"], "membership": ["organization", "role"],
        "consent": ["purpose", "version", "given_at", "withdrawn_at"],
        "competence": ["id", "competence", "attested_on", "attested_by", "module"],
        "organization": ["kind", "name", "country", "territory", "city", "email", "website", "sectors", "created_at", "updated_at"],
        "agreement": ["organization", "signed_on", "ends_on", "ended_on", "end_reason", "reference"],
        "territory": ["level", "parent", "name_fr", "name_ar", "kind", "population", "former_region_smd"],
        "project": ["doc"], "need": ["doc"], "offer": ["doc"], "contribution": ["doc"], "match": ["doc"],
    ]

    /// Kinds that make any read of the column a storage error (a flipped byte may still read).
    static let unreadable: Set<Kind> = [.wrongType, .null, .emptyBlob, .invalidUTF8, .truncatedJSON, .unknownCode, .badDate, .farInstant]

    /// Columns decoded as a vocabulary (others, such as territory.kind, are free text to the reader).
    static let vocabularyColumns: Set<String> = ["member.gender", "member_role.role", "consent.purpose", "organization.kind", "territory.level", "competence.competence"]

    /// Every damage of the demo, generated over tables × columns: the semantic damages each
    /// column admits (truncated JSON, unknown code, bad date, far instant) and one of the
    /// representation damages (flipped byte, wrong type, NULL, empty blob, invalid UTF-8),
    /// chosen in turn; event payloads are truncated once per event type; and rows that
    /// others reference are deleted.
    static func damages(_ path: String) throws -> [Damage] {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        var out: [Damage] = []
        var turn = 0
        let representation: [Kind] = [.flippedByte, .wrongType, .null, .emptyBlob, .invalidUTF8]
        for t in try tables(path) {
            try q.read { db in
                let keyCols = t.pk.isEmpty ? ["rowid"] : t.pk
                // The rows damaged: the first (it shows in every first page); for the event log, the first of each type.
                let where_ = t.name == "event" ? "WHERE seq IN (SELECT MIN(seq) FROM event GROUP BY type)" : ""
                let limit = t.name == "event" ? 100 : 1
                let rows = try Row.fetchAll(db, sql: "SELECT \(keyCols.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \"\(t.name)\" \(where_) ORDER BY 1 LIMIT \(limit)")
                for (n, r) in rows.enumerated() {
                    let key = keyCols.enumerated().map { ($0.element, r[$0.offset] as DatabaseValue) }
                    var entity: (String, String)? = nil
                    if let o = owner[t.name] {
                        let idColumn = t.name == o ? (o == "territory" ? "code" : "id") : "member"
                        if case .string(let id) = try stored(db, t, idColumn, key).storage { entity = (o, id) }
                    }
                    for c in t.columns {
                        // The event log: its payloads on every row picked, its other columns on the first.
                        if t.name == "event", n > 0, c.name != "payload" { continue }
                        let current = try stored(db, t, c.name, key)
                        var kinds: [Kind] = []
                        let isRowID = c.pk == 1 && c.type == "INTEGER" && !t.withoutRowID
                        if case .string(let s) = current.storage, s.hasPrefix("{") || s.hasPrefix("[") { kinds.append(.truncatedJSON) }
                        if c.type == "TEXT", t.sql.contains("CHECK (\(c.name) IN (") || vocabularyColumns.contains("\(t.name).\(c.name)") { kinds.append(.unknownCode) }
                        if c.name.hasSuffix("_on") || c.name == "on_day" { kinds.append(.badDate) }
                        if c.name.hasSuffix("_at"), c.type == "INTEGER" { kinds.append(.farInstant) }
                        if !isRowID, n == 0 {
                            var k = representation[turn % representation.count]
                            turn += 1
                            if k == .null && !c.notNull { k = .wrongType }
                            if k == .null && c.pk > 0 { k = .wrongType }
                            if k == .flippedByte, current.storage.isText == false { k = .wrongType }
                            if k == .emptyBlob || k == .invalidUTF8, c.type != "TEXT" { k = .wrongType }
                            kinds.append(k)
                        }
                        for k in kinds {
                            guard let v = value(k, current, type: c.type) else { continue }
                            out.append(Damage(kind: k, table: t.name, column: c.name, key: key, value: v, entity: entity))
                        }
                    }
                }
            }
        }
        // Rows that others reference, deleted: a member's organization, a project's ADC, a need's project…
        for (table, sql) in [("organization", "SELECT organization FROM membership LIMIT 1"), ("member", "SELECT adc FROM project WHERE adc IS NOT NULL LIMIT 1"),
                             ("project", "SELECT project FROM need LIMIT 1"), ("need", "SELECT need FROM match LIMIT 1"),
                             ("offer", "SELECT offer FROM match LIMIT 1"), ("territory", "SELECT origin FROM member WHERE origin IS NOT NULL LIMIT 1"),
                             ("contribution", "SELECT contribution FROM match WHERE contribution IS NOT NULL LIMIT 1")] {
            guard let id = try q.read({ db in try String.fetchOne(db, sql: sql) }) else { Issue.record("the demo has no \(table) referenced by \(sql)"); continue }
            out.append(Damage(kind: .missingRow, table: table, column: table == "territory" ? "code" : "id",
                              key: [(table == "territory" ? "code" : "id", id.databaseValue)], value: nil, entity: nil))
        }
        // Every semantic damage, and one representation damage in three (in turn over the
        // columns): each kind still meets every table, and the run stays short.
        var seen = 0
        return out.filter { d in
            guard representation.contains(d.kind) else { return true }
            seen += 1
            return seen % 3 == 1
        }
    }

    /// The damaged value of a kind, from the stored one; nil if the kind does not apply.
    static func value(_ k: Kind, _ current: DatabaseValue, type: String) -> DatabaseValue? {
        switch k {
        case .flippedByte:
            guard case .string(let s) = current.storage, !s.isEmpty else { return nil }
            var b = Array(s.utf8)
            // An ASCII byte near the middle, changed to another ASCII byte: the text stays UTF-8.
            guard let i = (b.count / 2..<b.count).first(where: { b[$0] < 0x80 }) ?? b.indices.first(where: { b[$0] < 0x80 }) else { return nil }
            b[i] ^= 0x01
            return String(decoding: b, as: UTF8.self).databaseValue
        case .wrongType: return type == "TEXT" ? 42.databaseValue : "forty-two".databaseValue
        case .null: return .null
        case .emptyBlob: return Data().databaseValue
        case .invalidUTF8: return Data([0x7B, 0xFF, 0xFE, 0x22]).databaseValue
        case .truncatedJSON:
            guard case .string(let s) = current.storage else { return nil }
            return String(s.prefix(s.count / 2)).databaseValue
        case .unknownCode: return "w".databaseValue
        case .badDate: return "2026-13-45".databaseValue
        case .farInstant: return Int64.max.databaseValue
        case .missingRow, .page: return nil
        }
    }

    /// Applies a damage to the file at `path`: the table's STRICT typing, NOT NULL, CHECK
    /// constraints, foreign keys and the table's triggers (the log's and the criteria's append-only ones) are set aside first.
    static func apply(_ d: Damage, to path: String, tables: [Table]) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA ignore_check_constraints = ON") }
        if [.wrongType, .null, .emptyBlob, .invalidUTF8].contains(d.kind), let t = tables.first(where: { $0.name == d.table }) {
            // No STRICT typing, no NOT NULL on a column (a CHECK's IS NOT NULL stays), and the
            // damaged column declared BLOB: without affinity, SQLite stores the value as given.
            var loose = t.sql.replacingOccurrences(of: ") STRICT, WITHOUT ROWID", with: ") WITHOUT ROWID")
                .replacingOccurrences(of: ") STRICT", with: ")").replacingOccurrences(of: "IS NOT NULL", with: "IS_NOT_NULL")
                .replacingOccurrences(of: "NOT NULL", with: "").replacingOccurrences(of: "IS_NOT_NULL", with: "IS NOT NULL")
            let declaration = try NSRegularExpression(pattern: "([(,]\\s*\"?\(d.column)\"?\\s+)(TEXT|INTEGER|REAL)\\b")
            let matched = declaration.numberOfMatches(in: loose, range: NSRange(loose.startIndex..., in: loose))
            #expect(matched == 1, "\(d): the column's declaration is found once in \(t.sql)")
            loose = declaration.stringByReplacingMatches(in: loose, range: NSRange(loose.startIndex..., in: loose), withTemplate: "$1BLOB")
            let q = try DatabaseQueue(path: path, configuration: config)
            try q.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA writable_schema = ON")
                try db.execute(sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", arguments: [loose, t.name])
                try db.execute(sql: "PRAGMA writable_schema = OFF")
            }
            try q.close()
        }
        let q = try DatabaseQueue(path: path, configuration: config)
        defer { try? q.close() }
        try q.writeWithoutTransaction { db in
            // The append-only triggers of the damaged table (the log's, a criteria version's) would refuse the damage.
            for trigger in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", arguments: [d.table]) {
                try db.execute(sql: "DROP TRIGGER \"\(trigger)\"")
            }
            let w = d.key.map { "\"\($0.0)\" = ?" }.joined(separator: " AND ")
            if let v = d.value {
                try db.execute(sql: "UPDATE \"\(d.table)\" SET \"\(d.column)\" = ? WHERE \(w)", arguments: StatementArguments([v] + d.key.map(\.1)))
                #expect(db.changesCount == 1, "\(d) changed \(db.changesCount) rows")
            } else {
                try db.execute(sql: "DELETE FROM \"\(d.table)\" WHERE \(w)", arguments: StatementArguments(d.key.map(\.1)))
                #expect(db.changesCount == 1, "\(d) deleted \(db.changesCount) rows")
            }
        }
    }

    // MARK: - Calling every method through the C door

    /// The methods with their params schemas, from `meta.methods`.
    static let methods: [(name: String, schema: JSON, mutating: Bool)] = {
        let db: CDSDatabase
        do { db = try CDSDatabase(path: ":memory:", options: .trusted) } catch { Issue.record("\(error)"); return [] }
        let listed = (try? JSON.parse(db.call("meta.methods", "{}").text))?["result"]?["methods"]?.arrayValue ?? []
        var byName: [String: JSON] = [:]
        for m in listed { if let n = m["name"]?.stringValue { byName[n] = m["params"] ?? .null } }
        return MethodTable.all.map { m in
            let schema = byName[m.name] ?? .null
            return (m.name, schema, m.mutating)
        }
    }()

    /// The ids of the demo, by table: the first row's, unless the damage touches another.
    static func ids(_ path: String) throws -> [String: String] {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in
            var out: [String: String] = [:]
            for t in ["member", "organization", "agreement", "project", "need", "offer", "match", "contribution"] {
                out[t] = try String.fetchOne(db, sql: "SELECT id FROM \(t) ORDER BY seq LIMIT 1")
            }
            out["territory"] = try String.fetchOne(db, sql: "SELECT origin FROM member WHERE origin IS NOT NULL ORDER BY seq LIMIT 1")
            return out
        }
    }

    /// Params for a method: its required properties filled from the ids (the damaged entity's
    /// first), its enums and formats; lists read their first page, where the damaged rows are.
    static func params(_ name: String, _ schema: JSON, ids: [String: String]) -> JSON {
        let namespace = String(name.prefix { $0 != "." })
        var o = JSONObject()
        let props = schema["properties"]?.objectValue ?? JSONObject()
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        for (key, p) in props where required.contains(key) || ["provenance", "explain"].contains(key) {
            switch key {
            case "provenance", "explain": o[key] = .bool(true)
            case "id" where ids[namespace] != nil: o[key] = .string(ids[namespace] ?? "")
            case "code" where namespace == "territory": o[key] = .string(ids["territory"] ?? "")
            // A file the call would write (backup): in a folder that does not exist, so that nothing is
            // written anywhere (the call must still answer a contract error, never internal).
            case "path": o[key] = "/nonexistent-cds-folder/copy.sqlite"
            case let k where ids[k] != nil: o[key] = .string(ids[k] ?? "")
            default:
                if let first = p["enum"]?.arrayValue?.first { o[key] = first; continue }
                switch (p["type"]?.stringValue, p["format"]?.stringValue) {
                case ("string", "date"): o[key] = "2026-06-30"
                case ("string", "date-time"): o[key] = "2026-06-30T09:00:00Z"
                case ("integer", _): o[key] = .int(p["minimum"]?.intValue ?? 1)
                case ("number", _): o[key] = .int(1)
                case ("boolean", _): o[key] = .bool(true)
                case ("array", _): o[key] = .array([])
                case ("object", _): o[key] = .object(JSONObject())
                default: o[key] = "x"
                }
            }
        }
        return .object(o)
    }

    /// Calls through the C function, as a host does, and checks the answer is the contract's
    /// JSON: `{"result"}` with CDS_OK, `{"error": {"code"}}` of a known, non-internal code otherwise.
    static func call(_ db: OpaquePointer?, _ method: String, _ params: JSON, _ what: String) -> JSON {
        var out: UnsafeMutablePointer<CChar>? = nil
        let status = cds_call(db, method, params.text, &out)
        defer { cds_free(out) }
        guard let out else { Issue.record("\(what): \(method) answered no text"); return .null }
        let text = String(cString: out)
        let answer: JSON
        do { answer = try JSON.parse(text) } catch { Issue.record("\(what): \(method) answered what is not JSON: \(text.prefix(200))"); return .null }
        if status == CDS_OK {
            #expect(answer["result"] != nil, "\(what): \(method) answered OK without a result")
        } else {
            #expect(status == CDS_ERROR, "\(what): \(method) answered status \(status.rawValue)")
            let code = answer["error"]?["code"]?.stringValue ?? ""
            #expect(CDSError.Code(rawValue: code) != nil, "\(what): \(method) answered the unknown code \(code)")
            #expect(code != "internal", "\(what): \(method) answered an internal error: \(text.prefix(300))")
        }
        return answer
    }

    /// Opens a damaged file through the C door and calls every method (the mutating ones
    /// too when `mutating`); answers the handle's answers by method, or the open error.
    static func callEverything(_ path: String, ids: [String: String], mutating: Bool, _ what: String) -> (open: JSON?, answers: [String: JSON]) {
        var db: OpaquePointer? = nil
        var err: UnsafeMutablePointer<CChar>? = nil
        let s = cds_open(path, #"{"trusted": true}"#, &db, &err)
        defer { cds_close(db) }
        guard s == CDS_OK else {
            let text = err.map { String(cString: $0) } ?? ""
            cds_free(err)
            let j = (try? JSON.parse(text)) ?? .null
            #expect(j["error"]?["code"] == "storage", "\(what): cds_open answered \(text.prefix(300))")
            return (j, [:])
        }
        var answers: [String: JSON] = [:]
        for m in methods where !m.mutating { answers[m.name] = call(db, m.name, params(m.name, m.schema, ids: ids), what) }
        if mutating { for m in methods where m.mutating { answers[m.name] = call(db, m.name, params(m.name, m.schema, ids: ids), what) } }
        return (nil, answers)
    }

    // MARK: - The tests

    @Test("a damaged row or payload answers JSON from every method; the entity's get answers storage naming table.column")
    func damagedRows() throws {
        let pristine = Self.demo.path
        let tables = try Self.tables(pristine)
        let damages = try Self.damages(pristine)
        #expect(damages.count >= 100, "many damages: \(damages.count)")
        #expect(Set(damages.map(\.kind)).isSuperset(of: Kind.allCases.filter { $0 != .page }), "every kind of damage is generated")
        let baseIDs = try Self.ids(pristine)
        let work = TempDB()
        for (n, d) in damages.enumerated() {
            let path = work.path + ".\(n)"
            try FileManager.default.copyItem(atPath: pristine, toPath: path)
            defer { try? FileManager.default.removeItem(atPath: path) }
            do { try Self.apply(d, to: path, tables: tables) } catch { Issue.record("\(d) cannot be applied: \(error)"); continue }
            var ids = baseIDs
            if let e = d.entity { ids[e.table] = e.id }
            let (open, answers) = Self.callEverything(path, ids: ids, mutating: n % 6 == 0, "\(d)")
            guard open == nil else { continue }
            // A code outside the schema's CHECK is damage where the reader decodes a vocabulary;
            // territory.kind, say, is free text to it.
            let decoded = d.kind != .unknownCode || Self.vocabularyColumns.contains("\(d.table).\(d.column)")
            if let e = d.entity, decoded, Self.unreadable.contains(d.kind), Self.readByGet[d.table]?.contains(d.column) == true {
                let got = answers["\(e.table).get"]?["error"]
                #expect(got?["code"] == "storage", "\(d): \(e.table).get answered \(answers["\(e.table).get"]?.text.prefix(300) ?? "nothing")")
                #expect(got?["message"]?.stringValue?.contains("\(d.table).\(d.column)") == true, "\(d): the message names the column: \(got?.text.prefix(300) ?? "")")
            }
        }
    }

    @Test("specific damages answer storage errors that name the table and the column")
    func specificDamages() throws {
        let pristine = Self.demo.path
        let tables = try Self.tables(pristine)
        let ids = try Self.ids(pristine)
        let work = TempDB()
        func damaged(_ table: String, _ column: String, _ key: (String, DatabaseValue), _ value: DatabaseValue?, _ kind: Kind) throws -> OpaquePointer? {
            let path = work.path + ".\(table).\(column).\(kind)"
            try FileManager.default.copyItem(atPath: pristine, toPath: path)
            try Self.apply(Damage(kind: kind, table: table, column: column, key: [key], value: value, entity: nil), to: path, tables: tables)
            var db: OpaquePointer? = nil
            #expect(cds_open(path, #"{"trusted": true}"#, &db, nil) == CDS_OK)
            return db
        }
        func expectStorage(_ db: OpaquePointer?, _ method: String, _ params: JSON, naming: String) {
            let a = Self.call(db, method, params, naming)
            #expect(a["error"]?["code"] == "storage", "\(method) answered \(a.text.prefix(300))")
            #expect(a["error"]?["message"]?.stringValue?.hasPrefix("damaged row in \(naming):") == true, "\(method) answered \(a.text.prefix(300))")
            #expect(a["error"]?["details"]?["column"]?.stringValue == naming.split(separator: ".").last.map(String.init))
        }
        let member = ids["member"] ?? "", project = ids["project"] ?? "", org = ids["organization"] ?? ""

        var db = try damaged("member", "gender", ("id", member.databaseValue), "w".databaseValue, .unknownCode)
        expectStorage(db, "member.get", ["id": .string(member)], naming: "member.gender")
        expectStorage(db, "member.list", ["limit": 1000], naming: "member.gender")
        expectStorage(db, "member.export", ["id": .string(member)], naming: "member.gender")
        let gender = Self.call(db, "member.get", ["id": .string(member)], "gender")
        #expect(gender["error"]?["message"]?.stringValue?.contains("\"w\" is not a Gender") == true, "\(gender.text)")
        cds_close(db)

        db = try damaged("project", "doc", ("id", project.databaseValue), "{\"id\": \"prj".databaseValue, .truncatedJSON)
        expectStorage(db, "project.get", ["id": .string(project)], naming: "project.doc")
        expectStorage(db, "project.list", [:], naming: "project.doc")
        expectStorage(db, "match.all", [:], naming: "project.doc")
        cds_close(db)

        db = try damaged("organization", "sectors", ("id", org.databaseValue), "[\"0".databaseValue, .truncatedJSON)
        expectStorage(db, "organization.get", ["id": .string(org)], naming: "organization.sectors")
        cds_close(db)

        db = try damaged("event", "payload", ("seq", 1.databaseValue), "{\"after\": {".databaseValue, .truncatedJSON)
        expectStorage(db, "event.list", [:], naming: "event.payload")
        expectStorage(db, "indicators.compute", ["as_of": "2026-12-31"], naming: "event.payload")
        let audit = Self.call(db, "audit.verify", [:], "audit")
        #expect(audit["result"]?["ok"] == false && audit["result"]?["first_broken"] == 1, "a damaged payload breaks the chain at its event: \(audit.text)")
        cds_close(db)

        db = try damaged("event", "occurred_at", ("seq", 2.databaseValue), Int64.max.databaseValue, .farInstant)
        expectStorage(db, "indicators.compute", ["as_of": "2026-12-31"], naming: "event.occurred_at")
        cds_close(db)

        let agreement = ids["agreement"] ?? ""
        db = try damaged("agreement", "signed_on", ("id", agreement.databaseValue), "2026-13-45".databaseValue, .badDate)
        expectStorage(db, "agreement.get", ["id": .string(agreement)], naming: "agreement.signed_on")
        expectStorage(db, "agreement.list", [:], naming: "agreement.signed_on")
        cds_close(db)

        // A member's organization deleted: her membership names a row that is gone.
        let q = try DatabaseQueue(path: pristine)
        let (who, gone) = try #require(try q.read { db in
            try Row.fetchOne(db, sql: "SELECT member, organization FROM membership LIMIT 1").map { r in
                (try r.decode(String.self, forColumn: "member"), try r.decode(String.self, forColumn: "organization"))
            }
        })
        try q.close()
        db = try damaged("organization", "id", ("id", gone.databaseValue), nil, .missingRow)
        expectStorage(db, "member.get", ["id": .string(who)], naming: "membership.organization")
        #expect(Self.call(db, "organization.get", ["id": .string(gone)], "gone")["error"]?["code"] == "not_found")
        cds_close(db)
    }

    @Test("bytes flipped in pages of the file answer storage errors or JSON, never a crash")
    func damagedPages() throws {
        let pristine = Self.demo.path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pristine))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        let pages = bytes.count / max(pageSize, 1)
        #expect(pageSize >= 512 && pages > 10, "a SQLite file of pages: \(pageSize) bytes × \(pages)")
        let ids = try Self.ids(pristine)
        let work = TempDB()
        // The header, then pages spread over the file (deterministically): b-tree pages, overflow and data.
        var offsets: [Int] = [0, 28]
        for p in stride(from: 1, to: pages, by: max(1, pages / 12)) { offsets.append(p * pageSize + pageSize / 3) }
        var errors = 0
        for (n, offset) in offsets.enumerated() {
            var b = bytes
            for i in offset..<min(offset + 24, b.count) { b[i] ^= 0xA5 }
            let path = work.path + ".page\(n)"
            try b.write(to: URL(fileURLWithPath: path))
            let (open, answers) = Self.callEverything(path, ids: ids, mutating: n % 3 == 0, "bytes flipped at \(offset)")
            errors += open != nil ? 1 : answers.values.filter { $0["error"]?["code"] == "storage" }.count
        }
        #expect(errors > 0, "some flipped page is seen as damage")
    }
}

extension DatabaseValue.Storage {
    /// True for a TEXT value.
    var isText: Bool { if case .string = self { return true } else { return false } }
}
