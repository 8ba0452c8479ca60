import ArgumentParser
import CDS
import CDSCore

#if canImport(Glibc)
import Glibc
#endif

/// A path made absolute against the working directory (the library reads and writes it as given).
func absolute(_ path: String) -> String {
    guard !path.hasPrefix("/") else { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return cwd + "/" + path
}

extension CDSCommand {
    /// `cds import FILE`: `import.csv` of a sheet, streamed from its file.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Imports members, organizations, offers, needs or projects from a CSV file (all or nothing).",
            discussion: """
                The entity is --entity, or the file's name (members.csv, offers-2026.csv…). Every problem is printed as
                row, column, value and reason, and nothing is written (exit 1); --dry-run checks without writing.
                Examples:
                  cds import --db demo.sqlite members.csv --dry-run
                  cds import --db demo.sqlite adherents.csv --entity members --dates fr --default roles=diaspora --map "N° adhérent=ref"
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The CSV file.", valueName: "file")) var file: String
        @Option(help: "members, organizations, offers, needs or projects (default: from the file's name).") var entity: ImportEntity?
        @Flag(name: .customLong("dry-run"), help: "Check every row and print the report; write nothing.") var dryRun = false
        @Option(help: ArgumentHelp("The separator, , or ; (default: found from the header).", valueName: "char")) var separator: String?
        @Option(help: "iso, or fr to read DD/MM/YYYY dates too.") var dates: DateStyle?
        @Option(name: .customLong("map"), help: ArgumentHelp("A header and the field it fills, HEADER=FIELD (repeat; FIELD empty ignores the column).", valueName: "header=field"))
        var mappings: [String] = []
        @Option(name: .customLong("default"), help: ArgumentHelp("A field's value for rows without it, FIELD=VALUE (repeat).", valueName: "field=value"))
        var defaults: [String] = []

        /// The entity named by --entity or by the file's name.
        var resolvedEntity: ImportEntity? {
            if let entity { return entity }
            let name = file.split(separator: "/").last.map(String.init) ?? file
            return ImportEntity.allCases.first { name.lowercased().hasPrefix($0.rawValue) }
        }

        static func pairs(_ list: [String], _ option: String) throws -> JSONObject {
            var o = JSONObject()
            for item in list {
                guard let eq = item.firstIndex(of: "=") else { throw ValidationError("--\(option) takes KEY=VALUE, e.g. \(option == "map" ? "Nom=name" : "roles=diaspora")") }
                o[String(item[..<eq])] = .string(String(item[item.index(after: eq)...]))
            }
            return o
        }

        func validate() throws {
            if resolvedEntity == nil { throw ValidationError("give --entity (members, organizations, offers, needs or projects): the file's name does not say") }
            if let s = separator, s != ",", s != ";" { throw ValidationError("--separator is , or ;") }
            _ = try Self.pairs(mappings, "map")
            _ = try Self.pairs(defaults, "default")
        }

        func run() throws {
            var p: JSONObject = ["entity": .string(resolvedEntity?.rawValue ?? ""), "path": .string(absolute(file))]
            if dryRun { p["dry_run"] = true }
            p.put("separator", separator)
            p.put("dates", dates)
            if !mappings.isEmpty { p["mapping"] = .object(try Self.pairs(mappings, "map")) }
            if !defaults.isEmpty { p["defaults"] = .object(try Self.pairs(defaults, "default")) }
            p.put("actor", actor.actor)
            let db = try database.open()
            let r = try StandardError.withProgress("importing \(file)", unit: .bytes) { progress in
                try Session.call(db, "import.csv", p, locale: output.locale, progress: progress)
            }
            if output.printedJSON(r) { return }
            let problems = r["problems"]?.arrayValue ?? []
            if !problems.isEmpty {
                Table.print(["row", "column", "value", "reason"], problems.map { [$0["row"]?.cell ?? "", $0["column"]?.cell ?? "", $0["value"]?.cell ?? "", $0["reason"]?.cell ?? ""] })
            }
            let counts = "\(r["rows"]?.cell ?? "0") rows: \(r["created"]?.cell ?? "0") created, \(r["updated"]?.cell ?? "0") updated, \(r["unchanged"]?.cell ?? "0") unchanged"
            let count = r["problem_count"]?.intValue ?? 0
            if count > 0 {
                throw Failure(code: "invalid_params", "\(count) problem(s) in \(file): nothing was written")
            }
            print(dryRun ? "dry run, nothing written: " + counts.replacingOccurrences(of: " created", with: " to create") : counts)
        }
    }

    /// `cds export WHAT`: `export.csv` (members, organizations, offers, needs, projects, indicators) or `export.iati`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Exports members, organizations, offers, needs, projects or indicators as CSV, or projects as IATI 2.03 XML.",
            discussion: """
                Examples:
                  cds export --db demo.sqlite members --csv --separator ";" --bom --out membres.csv
                  cds export --db demo.sqlite indicators --as-of 2026-12-31 --disaggregate gender
                  cds export --db demo.sqlite iati --project prj_… --out activities.xml
                  cds export --db demo.sqlite iati --stage implementation --check
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("members, organizations, offers, needs, projects, indicators or iati.", valueName: "what")) var what: String
        @Flag(help: "CSV (the default for everything but iati).") var csv = false
        @Option(help: ArgumentHelp("CSV: the separator, , or ;.", valueName: "char")) var separator: String?
        @Flag(help: "CSV: begin with a UTF-8 byte order mark (French Excel).") var bom = false
        @Option(help: ArgumentHelp("Write to this new file instead of standard output.", valueName: "file")) var out: String?
        @Option(name: .customLong("as-of"), help: "Indicators: the date, YYYY-MM-DD.") var asOf: String?
        @Option(help: "Indicators: a commune, province or region; iati: only projects there.") var territory: String?
        @Option(help: "Indicators: a series between --from and --until.") var period: Period?
        @Option(help: "Indicators: the series' first day.") var from: String?
        @Option(help: "Indicators: the series' last day.") var until: String?
        @Option(help: "Indicators: gender or country_of_residence.") var disaggregate: String?
        @Option(name: .customLong("project"), help: ArgumentHelp("iati: a project (repeat).", valueName: "id")) var projects: [String] = []
        @Option(help: "iati: only projects at this stage.") var stage: Stage?
        @Option(name: .customLong("reporting-org"), help: ArgumentHelp("iati: the reporting organization (default: the facilitator's).", valueName: "id"))
        var reportingOrg: String?
        @Flag(help: "iati: print the IATI rules the projects break, not the XML.") var check = false

        func validate() throws {
            guard (ImportEntity.codes + ["indicators", "iati"]).contains(what) else {
                throw ValidationError("export what? members, organizations, offers, needs, projects, indicators or iati")
            }
            if csv && what == "iati" { throw ValidationError("iati is XML: drop --csv") }
            if let s = separator, s != ",", s != ";" { throw ValidationError("--separator is , or ;") }
        }

        func run() throws {
            let db = try database.open()
            if what == "iati" { return try iati(db) }
            var p: JSONObject = ["entity": .string(what)]
            p.put("separator", separator)
            if bom { p["bom"] = true }
            p.put("path", out.map(absolute))
            for (k, v) in [("as_of", asOf), ("territory", territory), ("from", from), ("until", until), ("disaggregate", disaggregate)] { p.put(k, v) }
            p.put("period", period)
            let r = try StandardError.withProgress("exporting \(what)", unit: .rows) { progress in
                try Session.call(db, "export.csv", p, locale: output.locale, progress: progress)
            }
            if output.printedJSON(r) { return }
            if let text = r["csv"]?.stringValue { StandardOutput.write(text) } else { print("\(r["rows"]?.cell ?? "0") rows written to \(out ?? "")") }
        }

        func iati(_ db: CDSDatabase) throws {
            var p: JSONObject = [:]
            if !projects.isEmpty { p["projects"] = .array(projects.map(JSON.string)) }
            p.put("stage", stage)
            p.put("territory", territory)
            p.put("reporting_org", reportingOrg)
            if check { p["check"] = true }
            let r = try Session.call(db, "export.iati", p, locale: output.locale)
            if output.printedJSON(r) { return }
            if check {
                let problems = r["problems"]?.arrayValue ?? []
                Table.print(["project", "where", "rule", "problem"], problems.map { [$0["project"]?.cell ?? "", $0["path"]?.cell ?? "", $0["rule"]?.cell ?? "", $0["message"]?.cell ?? ""] })
                print("\(r["activities"]?.cell ?? "0") activities, \(problems.count) problems")
                if !problems.isEmpty { throw ExitCode.failure }
                return
            }
            let xml = r["xml"]?.stringValue ?? ""
            if let out {
                guard let f = fopen(absolute(out), "wx") else { throw Failure(code: "invalid_params", "cannot create \(out) (it must not exist)") }
                defer { fclose(f) }
                let n = Array(xml.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
                guard n == xml.utf8.count else { throw Failure(code: "storage", "writing \(out) failed") }
                print("\(r["activities"]?.cell ?? "0") activities written to \(out)")
            } else {
                StandardOutput.write(xml)
            }
        }
    }

    /// `cds backup DB FILE`: `backup`, a verified copy of a database in use.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup", abstract: "Copies a database, even while it is in use, to a new file, and verifies the copy's hash chain.",
            discussion: "Example: cds backup demo.sqlite demo-2026-12-31.sqlite")

        @Argument(help: ArgumentHelp("The database to copy.", valueName: "db")) var db: String
        @Argument(help: ArgumentHelp("The new file.", valueName: "file")) var file: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let source = try Session.open(db)
            let r = try StandardError.status("copying \(db)…") { try Session.call(source, "backup", ["path": .string(absolute(file))], locale: output.locale) }
            if output.printedJSON(r) { return }
            print("\(file): a copy of \(db), \(r["events"]?.cell ?? "0") events, hash chain verified")
        }
    }
}

/// Standard output for texts printed as they are (CSV, XML), without a newline added.
enum StandardOutput {
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
    }
}
