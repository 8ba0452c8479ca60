import ArgumentParser
import CDS
import CDSCore
import CDSStore

#if canImport(Glibc)
import Glibc
#endif

/// The `cds` command line: every command goes through the same JSON method table as the
/// C door, and prints a readable table or, with `--json`, the method's answer.
@main
struct CDSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cds",
        abstract: "CDS core: the engine of a Communauté de Développement Solidaire.",
        discussion: """
            Examples:
              cds demo demo.sqlite
              cds territory list --level commune --parent 09.541
              cds member list --db demo.sqlite --role adc
              cds call demo.sqlite territory.get '{"code": "09.541.11.33"}'
            """,
        version: CDSDatabase.version,
        subcommands: [Init.self, Demo.self, Call.self, TerritoryCommand.self, MemberCommand.self, OrganizationCommand.self, ProjectCommand.self, MatchCommand.self, IndicatorsCommand.self])
}

/// Options every command that reads a database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $CDS_DB).")
    var db: String?

    @Flag(name: .long, help: "Print the method's JSON answer instead of a table.")
    var json = false

    @Option(name: .long, help: "Language of labels: fr, ar or en.")
    var locale: String?

    /// Opens the database given, or $CDS_DB, or `fallback` (nil: one is required).
    func open(fallback: String? = nil) throws -> CDSDatabase {
        let env = getenv("CDS_DB").map { String(cString: $0) }
        guard let path = db ?? env ?? fallback else {
            throw ValidationError("give the database with --db PATH (or set CDS_DB)")
        }
        return try openDatabase(path)
    }
}

func openDatabase(_ path: String) throws -> CDSDatabase {
    do { return try CDSDatabase(path: path) } catch { throw Failure(error) }
}

/// A contract error, printed as `error (code): message` with exit status 1.
struct Failure: Error, CustomStringConvertible {
    let error: CDSError
    init(_ e: CDSError) { error = e }
    var description: String {
        var s = "error (\(error.code.rawValue)): \(error.message)"
        if let missing = error.details["missing"]?.arrayValue {
            for m in missing { s += "\n  - \(m["label"]?.stringValue ?? m["key"]?.stringValue ?? "")" }
        }
        return s
    }
}

/// Calls a method and answers its result, or throws a `Failure`.
func invoke(_ db: CDSDatabase, _ method: String, _ params: JSONObject, locale: String? = nil) throws -> JSON {
    var p = params
    if let locale { p["locale"] = .string(locale) }
    switch db.call(method, params: .object(p)) {
    case .success(let r): return r
    case .failure(let e): throw Failure(e)
    }
}

/// Prints rows as an aligned table.
func printTable(_ header: [String], _ rows: [[String]]) {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }.joined(separator: "  ")
    }
    print(line(header))
    print(line(widths.map { String(repeating: "-", count: $0) }))
    for r in rows { print(line(r)) }
}

extension JSON {
    /// A cell: strings as they are, null as empty, lists joined, the rest as JSON.
    var cell: String {
        switch self {
        case .null: ""
        case .string(let s): s
        case .array(let a): a.map(\.cell).joined(separator: ",")
        default: text
        }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Creates (or migrates) a database file and loads the reference data.")
    @Argument(help: "The database file.") var db: String
    func run() throws {
        let d = try openDatabase(db)
        let v = try invoke(d, "meta.version", [:])
        let t = try invoke(d, "territory.list", ["level": "commune", "limit": 1000])
        print("\(db): CDS core \(v["version"]?.cell ?? ""), schema \(v["schema"]?.cell ?? ""), \(t["items"]?.arrayValue?.count ?? 0) communes loaded")
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Builds a demo database with a realistic CDS and prints what it made.")
    @Argument(help: "The database file to create (must be new or empty).") var db: String
    func run() throws {
        let d = try openDatabase(db)
        do {
            let report = try CDS.Demo.build(d)
            print("Demo CDS built in \(db)")
            for l in report.lines { print(l) }
        } catch { throw Failure(error) }
    }
}

struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Calls any method with JSON params and prints its JSON answer.",
        discussion: "Example: cds call demo.sqlite member.list '{\"role\": \"adc\"}'. `cds call DB meta.methods` lists every method.")
    @Argument(help: "The database file.") var db: String
    @Argument(help: "The method, e.g. territory.get.") var method: String
    @Argument(help: "The params, a JSON object (default {}).") var params: String?
    func run() throws {
        let d = try openDatabase(db)
        let answer = d.call(method, params ?? "{}")
        if answer.ok { print(answer.text) } else {
            FileHandleOut.stderr(answer.text)
            throw ExitCode(1)
        }
    }
}

enum FileHandleOut {
    /// Writes a line to standard error (file descriptor 2).
    static func stderr(_ s: String) {
        let line = Array((s + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

struct TerritoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "territory", abstract: "Morocco's regions, provinces and communes.",
                                                    subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists territories by level and parent.",
                                                        discussion: "Example: cds territory list --level commune --parent 09.541")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "region, province or commune.") var level: String?
        @Option(help: "The parent's HCP code, e.g. 09.541 (Taroudannt).") var parent: String?
        @Option(name: .customLong("q"), help: "Name contains (accents ignored).") var query: String?
        @Option(help: "At most this many (1…1000).") var limit: Int = 1000
        func run() throws {
            let db = try options.open(fallback: ":memory:")
            var p: JSONObject = ["limit": .int(Int64(limit))]
            if let level { p["level"] = .string(level) }
            if let parent { p["parent"] = .string(parent) }
            if let query { p["q"] = .string(query) }
            let r = try invoke(db, "territory.list", p, locale: options.locale)
            if options.json { print(r.text); return }
            let items = r["items"]?.arrayValue ?? []
            printTable(["code", "name", "الاسم", "level", "kind", "population"], items.map {
                [$0["code"]?.cell ?? "", $0["name"]?["fr"]?.cell ?? "", $0["name"]?["ar"]?.cell ?? "", $0["level"]?.cell ?? "",
                 $0["kind"]?.cell ?? "", $0["population"]?.cell ?? ""]
            })
            print("\(items.count) territories")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one territory.", discussion: "Example: cds territory show 09.541.11.33")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The HCP code.") var code: String
        func run() throws {
            let r = try invoke(try options.open(fallback: ":memory:"), "territory.get", ["code": .string(code)], locale: options.locale)
            if options.json { print(r.text); return }
            print("\(r["code"]?.cell ?? "")  \(r["name"]?["fr"]?.cell ?? "") / \(r["name"]?["ar"]?.cell ?? "")")
            print("level \(r["level"]?.cell ?? ""), \(r["kind"]?.cell ?? ""), parent \(r["parent"]?.cell ?? "—"), population \(r["population"]?.cell ?? "")")
        }
    }
}

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "member", abstract: "Members: diaspora, ADCs, local actors, facilitators.",
                                                    subcommands: [Add.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Registers a member.",
            discussion: "Example: cds member add --db demo.sqlite --name 'Brahim Ait Ouarab' --gender m --role diaspora --country FR --city Lyon --origin 09.581.03.03 --language shi --language fr --skill 2142")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "f, m, x or undisclosed.") var gender: String = "undisclosed"
        @Option(name: .customLong("role"), help: "diaspora, adc, local_actor, facilitator, admin (repeat for several).") var roles: [String] = []
        @Option(name: .customLong("country"), help: "Country of residence, ISO alpha-2 (FR, BE, NL, ES, MA…).") var country: String
        @Option(help: "City of residence.") var city: String?
        @Option(help: "Territory of origin (HCP code).") var origin: String?
        @Option(help: "E-mail.") var email: String?
        @Option(name: .customLong("language"), help: "ISO 639 code (repeat).") var languages: [String] = []
        @Option(name: .customLong("skill"), help: "ISCO-08 or ESCO code (repeat).") var skills: [String] = []
        @Option(name: .customLong("adc-commune"), help: "For an ADC: the commune served.") var adcCommune: String?
        @Flag(name: .customLong("heart-diaspora"), help: "A friend of the territory with no Moroccan origin.") var heartDiaspora = false
        @Option(name: .customLong("consent"), help: "A consent given, purpose:version, e.g. processing:2026-01 (repeat).") var consents: [String] = []
        func run() throws {
            var p: JSONObject = ["name": .string(name), "gender": .string(gender), "roles": .strings(roles.isEmpty ? ["diaspora"] : roles),
                                 "residence_country": .string(country), "languages": .strings(languages), "skills": .strings(skills),
                                 "heart_diaspora": .bool(heartDiaspora)]
            if let city { p["residence_city"] = .string(city) }
            if let origin { p["origin"] = .string(origin) }
            if let email { p["email"] = .string(email) }
            if let adcCommune { p["adc_commune"] = .string(adcCommune) }
            if !consents.isEmpty {
                p["consents"] = .array(try consents.map { c in
                    let parts = c.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw ValidationError("--consent takes purpose:version, e.g. processing:2026-01") }
                    return ["purpose": .string(parts[0]), "version": .string(parts[1])]
                })
            }
            let r = try invoke(try options.open(), "member.create", p, locale: options.locale)
            if options.json { print(r.text) } else { print("member \(r["id"]?.cell ?? "") registered: \(r["name"]?.cell ?? "")") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists members with filters.",
                                                        discussion: "Example: cds member list --db demo.sqlite --role diaspora --country FR")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Only this role.") var role: String?
        @Option(help: "Only living in this country.") var country: String?
        @Option(help: "Only from this territory or below it.") var origin: String?
        @Option(help: "Only with this skill code.") var skill: String?
        @Option(help: "Only speaking this language.") var language: String?
        @Option(name: .customLong("q"), help: "Name or city contains.") var query: String?
        @Option(help: "At most this many (1…1000).") var limit: Int = 100
        func run() throws {
            var p: JSONObject = ["limit": .int(Int64(limit))]
            if let role { p["role"] = .string(role) }
            if let country { p["residence_country"] = .string(country) }
            if let origin { p["origin"] = .string(origin) }
            if let skill { p["skill"] = .string(skill) }
            if let language { p["language"] = .string(language) }
            if let query { p["q"] = .string(query) }
            let r = try invoke(try options.open(), "member.list", p, locale: options.locale)
            if options.json { print(r.text); return }
            let items = r["items"]?.arrayValue ?? []
            printTable(["id", "name", "roles", "residence", "origin", "languages", "skills"], items.map {
                [$0["id"]?.cell ?? "", $0["name"]?.cell ?? "", $0["roles"]?.cell ?? "",
                 [$0["residence_city"]?.cell ?? "", $0["residence_country"]?.cell ?? ""].filter { !$0.isEmpty }.joined(separator: ", "),
                 $0["origin"]?.cell ?? "", $0["languages"]?.cell ?? "", $0["skills"]?.cell ?? ""]
            })
            print("\(items.count) members" + (r["next_cursor"]?.isNull == false ? " (more: raise --limit)" : ""))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one member, with consents and competences.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The member's id.") var id: String
        func run() throws {
            let r = try invoke(try options.open(), "member.get", ["id": .string(id)], locale: options.locale)
            if options.json { print(r.text); return }
            for (k, v) in r.objectValue ?? JSONObject() { print("\(k): \(v.cell)") }
        }
    }
}

struct OrganizationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "organization", abstract: "Communes, associations, cooperatives, funders…",
                                                    subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists organizations.")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Only this kind (commune, cooperative, diaspora_association…).") var kind: String?
        @Option(help: "Only seated in this territory or below it.") var territory: String?
        @Option(help: "At most this many (1…1000).") var limit: Int = 100
        func run() throws {
            var p: JSONObject = ["limit": .int(Int64(limit))]
            if let kind { p["kind"] = .string(kind) }
            if let territory { p["territory"] = .string(territory) }
            let r = try invoke(try options.open(), "organization.list", p, locale: options.locale)
            if options.json { print(r.text); return }
            let items = r["items"]?.arrayValue ?? []
            printTable(["id", "kind", "name", "country", "territory"], items.map {
                [$0["id"]?.cell ?? "", $0["kind"]?.cell ?? "", $0["name"]?.cell ?? "", $0["country"]?.cell ?? "", $0["territory"]?.cell ?? ""]
            })
            print("\(items.count) organizations")
        }
    }
}

struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Projects and their maturation, from an idea to capitalization.",
        subcommands: [List.self, Show.self, Checklist.self, Advance.self, History.self])

    /// A title in the locale asked, else French, else the first.
    static func title(_ p: JSON, _ locale: String?) -> String {
        let t = p["title"]?.objectValue
        return t?[locale ?? "fr"]?.stringValue ?? t?["fr"]?.stringValue ?? t?.members.first?.value.stringValue ?? ""
    }

    static func money(_ m: JSON?) -> String {
        guard let minor = m?["minor"]?.intValue, let c = m?["currency"]?.stringValue else { return "—" }
        return (minor / 100).grouped + "," + (minor % 100 < 10 ? "0" : "") + String(minor % 100) + " " + c
    }

    static func printChecklist(_ k: JSON) {
        let target = k["target"]?.stringValue ?? "—"
        let readiness = k["readiness"].map { v -> String in
            if case .double(let d) = v { return String(Int((d * 100).rounded())) + " %" }
            if case .int(let i) = v { return String(i * 100) + " %" }
            return "?"
        } ?? "?"
        print("stage \(k["stage"]?.cell ?? ""), checking \(target) — readiness for the next stage \(readiness)")
        for m in k["met"]?.arrayValue ?? [] { print("  [x] \(m["label"]?.cell ?? "")  (\(m["key"]?.cell ?? ""))") }
        for m in k["missing"]?.arrayValue ?? [] { print("  [ ] \(m["label"]?.cell ?? "")  (\(m["key"]?.cell ?? ""))") }
        if k["missing"]?.arrayValue?.isEmpty == true, target != "—" { print("ready to move to \(target)") }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists projects.", discussion: "Example: cds project list --db demo.sqlite --territory 09.581 --stage ready")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Only at this stage.") var stage: String?
        @Option(help: "Only in this territory (a province or region includes its communes).") var territory: String?
        @Option(help: "Only this PAC sector.") var sector: String?
        @Option(help: "At most this many (1…1000).") var limit: Int = 100
        func run() throws {
            var p: JSONObject = ["limit": .int(Int64(limit))]
            if let stage { p["stage"] = .string(stage) }
            if let territory { p["territory"] = .string(territory) }
            if let sector { p["sector"] = .string(sector) }
            let r = try invoke(try options.open(), "project.list", p, locale: options.locale)
            if options.json { print(r.text); return }
            let items = r["items"]?.arrayValue ?? []
            printTable(["id", "code", "stage", "title", "communes", "sector", "budget"], items.map {
                [$0["id"]?.cell ?? "", $0["code"]?.cell ?? "", $0["stage"]?.cell ?? "", ProjectCommand.title($0, options.locale),
                 $0["communes"]?.cell ?? "", $0["sector"]?.cell ?? "", ProjectCommand.money($0["budget"]?["total"])]
            })
            print("\(items.count) projects")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a project and its checklist for the next stage.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The project's id.") var id: String
        func run() throws {
            let p = try invoke(try options.open(), "project.get", ["id": .string(id)], locale: options.locale)
            if options.json { print(p.text); return }
            print("\(p["code"]?.cell ?? "")  \(ProjectCommand.title(p, options.locale))")
            print("stage: \(p["stage"]?.cell ?? "")\(p["on_hold_from"]?.isNull == false ? " (left \(p["on_hold_from"]?.cell ?? ""))" : "")")
            print("communes: \(p["communes"]?.cell ?? "")   sector: \(p["sector"]?.cell ?? "—") / DAC \(p["dac_code"]?.cell ?? "—")")
            print("ADC: \(p["adc"]?.cell ?? "—")   lead: \(p["lead_organization"]?.cell ?? "—")")
            if let b = p["beneficiaries"], !b.isNull { print("beneficiaries: \(b["total"]?.cell ?? "") (women \(b["women"]?.cell ?? ""), youth \(b["youth"]?.cell ?? ""))") }
            print("dates: \(p["start_on"]?.cell ?? "?") → \(p["end_on"]?.cell ?? "?")   started: \(p["started_on"]?.cell ?? "—")   progress: \(p["progress"]?.cell ?? "0") %")
            print("budget: \(ProjectCommand.money(p["budget"]?["total"]))")
            for s in p["funding_plan"]?.arrayValue ?? [] {
                print("  funding: \(s["label"]?.cell ?? "") \(ProjectCommand.money(s["amount"])) (\(s["status"]?.cell ?? ""))")
            }
            if let k = p["checklist"] { ProjectCommand.printChecklist(k) }
        }
    }

    struct Checklist: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What a project lacks to reach a stage (default: the next).",
                                                        discussion: "Example: cds project checklist --db demo.sqlite prj_… --to ready --locale ar")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The project's id.") var id: String
        @Option(help: "The stage to check.") var to: String?
        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            if let to { p["to"] = .string(to) }
            let k = try invoke(try options.open(), "project.checklist", p, locale: options.locale)
            if options.json { print(k.text) } else { ProjectCommand.printChecklist(k) }
        }
    }

    struct Advance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moves a project to the next stage (or --to a stage); lists what is missing when it cannot.",
            discussion: "Example: cds project advance --db demo.sqlite prj_… --actor mbr_… --note 'validé en réunion'")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The project's id.") var id: String
        @Option(help: "The member who moves it (the project's ADC, a facilitator or an admin).") var actor: String
        @Option(help: "The stage to move to (default: the next; on_hold, rejected, abandoned…).") var to: String?
        @Option(help: "Why (required to reject or abandon).") var note: String?
        func run() throws {
            let db = try options.open()
            var target = to
            if target == nil {
                target = try invoke(db, "project.checklist", ["id": .string(id)])["target"]?.stringValue
            }
            guard let target else { throw ValidationError("the project is closed: no next stage") }
            var p: JSONObject = ["id": .string(id), "to": .string(target), "actor": .string(actor)]
            if let note { p["note"] = .string(note) }
            let r = try invoke(db, "project.transition", p, locale: options.locale)
            if options.json { print(r.text) } else { print("\(r["code"]?.cell ?? "") is now at stage \(r["stage"]?.cell ?? "")") }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every event of a project and of its needs.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The project's id.") var id: String
        func run() throws {
            let r = try invoke(try options.open(), "project.history", ["id": .string(id), "limit": 1000], locale: options.locale)
            if options.json { print(r.text); return }
            printTable(["#", "occurred", "actor", "event", "from", "to", "note"], (r["items"]?.arrayValue ?? []).map {
                [$0["seq"]?.cell ?? "", $0["occurred_at"]?.cell ?? "", $0["actor"]?.cell ?? "", $0["type"]?.cell ?? "",
                 $0["from"]?.cell ?? "", $0["to"]?.cell ?? "", $0["note"]?.cell ?? ""]
            })
        }
    }
}

struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators", abstract: "The CDS's indicators as of a date, for a territory, or as a series.",
        discussion: """
            Examples:
              cds indicators demo.sqlite
              cds indicators demo.sqlite --as-of 2026-06-30 --territory 09.581
              cds indicators demo.sqlite --period quarter --from 2026-01-01 --until 2026-12-31 --csv
            """)
    @Argument(help: "The database file.") var db: String
    @Option(name: .customLong("as-of"), help: "The date (default: today).") var asOf: String?
    @Option(help: "A commune, province or region code.") var territory: String?
    @Option(help: "month, quarter or year: a series between --from and --until.") var period: String?
    @Option(help: "The series' first day.") var from: String?
    @Option(help: "The series' last day.") var until: String?
    @Option(help: "gender or country_of_residence.") var disaggregate: String?
    @Flag(help: "List the ids behind each figure.") var provenance = false
    @Flag(help: "Print the method's JSON answer.") var json = false
    @Flag(help: "Print CSV: period, as_of, indicator, value, target, progress.") var csv = false
    @Option(help: "Language of labels: fr, ar or en.") var locale: String?

    func run() throws {
        var p: JSONObject = [:]
        if let asOf { p["as_of"] = .string(asOf) }
        if let territory { p["territory"] = .string(territory) }
        if let period { p["period"] = .string(period) }
        if let from { p["from"] = .string(from) }
        if let until { p["until"] = .string(until) }
        if let disaggregate { p["disaggregate"] = .string(disaggregate) }
        if provenance { p["provenance"] = true }
        let r = try invoke(try openDatabase(db), "indicators.compute", p, locale: locale)
        if json { print(r.text); return }
        let reports: [(String, JSON)] = r["series"]?.arrayValue?.map { ($0["period"]?.cell ?? "", $0) } ?? [("", r)]
        if csv {
            print("period,as_of,territory,indicator,value,target,progress")
            for (name, rep) in reports {
                for i in rep["indicators"]?.arrayValue ?? [] {
                    print([name, rep["as_of"]?.cell ?? "", rep["territory"]?.cell ?? "", i["id"]?.cell ?? "", i["value"]?.cell ?? "",
                           i["target"]?.cell ?? "", i["progress"]?.cell ?? ""].joined(separator: ","))
                }
            }
            return
        }
        for (name, rep) in reports {
            print((name.isEmpty ? "" : name + " — ") + "as of \(rep["as_of"]?.cell ?? "")" + (rep["territory"]?.isNull == false ? ", territory \(rep["territory"]?.cell ?? "")" : ""))
            printTable(["indicator", "value", "target", "progress"], (rep["indicators"]?.arrayValue ?? []).map { i in
                var progress = ""
                if case .double(let x)? = i["progress"] { progress = IndicatorsCommand.bar(x) }
                var value = i["value"]?.cell ?? ""
                if case .double(let x)? = i["value"] {
                    let share = ["needs_covered_share", "match_acceptance_rate"].contains(i["id"]?.stringValue ?? "")
                    value = share ? String(Int((x * 100).rounded())) + " %" : String(x)
                }
                if i["id"]?.stringValue == "finance" { value = ProjectCommand.money(i["money"]) }
                return [i["label"]?.cell ?? "", value, i["target"]?.cell ?? "", progress]
            })
            print("")
        }
    }

    /// A progress bar: 10 cells and the percentage.
    static func bar(_ x: Double) -> String {
        let cells = max(0, min(10, Int((x * 10).rounded())))
        return String(repeating: "█", count: cells) + String(repeating: "░", count: 10 - cells) + " " + String(Int((x * 100).rounded())) + " %"
    }
}

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match", abstract: "Matches offers to open needs, with their reasons, and allocates them.",
        subcommands: [NeedMatches.self, MemberMatches.self, All.self, Allocate.self])

    /// The label of an explanation line in the locale asked (French by default).
    static func label(_ line: JSON, _ locale: String?) -> String { line["labels"]?[locale ?? "fr"]?.cell ?? line["reason"]?.cell ?? "" }

    /// A score as a percentage.
    static func percent(_ s: JSON?) -> String {
        guard case .double(let d)? = s else { return "" }
        return String(Int((d * 100).rounded())) + " %"
    }

    /// Prints matches with their reasons: the components that count, then the constraints met.
    static func printMatches(_ matches: [JSON], locale: String?, other: String) {
        for (i, m) in matches.enumerated() {
            let who = m["member"]?.cell ?? m["organization"]?.cell ?? ""
            print("\(i + 1). \(m[other]?.cell ?? "")  \(who)  score \(percent(m["score"]))")
            for c in m["components"]?.arrayValue ?? [] {
                print("     \(label(c, locale))  (\(c["component"]?.cell ?? "") \(percent(c["value"])))")
            }
            let constraints = (m["constraints"]?.arrayValue ?? []).map { label($0, locale) }
            if !constraints.isEmpty { print("     ✓ " + constraints.joined(separator: " · ")) }
        }
        if matches.isEmpty { print("no match: no open offer meets the hard constraints") }
    }

    /// Draws a progress bar on standard error for a long batch.
    @Sendable static func progress(total: Int) -> (@Sendable (Int) -> Void)? {
        guard total >= 200 else { return nil }
        return { done in
            let cells = total > 0 ? done * 30 / total : 30
            let bar = String(repeating: "█", count: cells) + String(repeating: "░", count: 30 - cells)
            let line = "\r[\(bar)] \(Int64(done).grouped)/\(Int64(total).grouped) needs" + (done >= total ? "\n" : "")
            _ = line.withCString { write(2, $0, strlen($0)) }
        }
    }

    struct NeedMatches: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "need", abstract: "The best offers for a need, with their reasons.",
                                                        discussion: "Example: cds match need ned_… --db demo.sqlite --k 5 --locale en")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The need's id.") var need: String
        @Option(help: "How many (1…1000).") var k: Int = 5
        func run() throws {
            let r = try invoke(try options.open(), "match.need", ["need": .string(need), "k": .int(Int64(k))], locale: options.locale)
            if options.json { print(r.text); return }
            MatchCommand.printMatches(r["matches"]?.arrayValue ?? [], locale: options.locale, other: "offer")
        }
    }

    struct MemberMatches: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "member", abstract: "The best open needs for a member's offers, with their reasons.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The member's id.") var member: String
        @Option(help: "How many (1…1000).") var k: Int = 5
        func run() throws {
            let r = try invoke(try options.open(), "match.member", ["member": .string(member), "k": .int(Int64(k))], locale: options.locale)
            if options.json { print(r.text); return }
            if r["offers"]?.arrayValue?.isEmpty == true { print("this member has no offer open to matching (active, with capacity left and consent to be contacted)") }
            MatchCommand.printMatches(r["matches"]?.arrayValue ?? [], locale: options.locale, other: "need")
        }
    }

    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The best offers for every open need (a batch, with a progress bar).")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "How many per need (1…100).") var k: Int = 3
        @Option(help: "Only this project's needs.") var project: String?
        func run() throws {
            guard (1...100).contains(k) else { throw ValidationError("--k must be from 1 to 100") }
            let db = try options.open()
            if options.json {
                var p: JSONObject = ["k": .int(Int64(k))]
                if let project { p["project"] = .string(project) }
                print(try invoke(db, "match.all", p).text)
                return
            }
            let index: MatchIndex
            do { index = try db.store.matchIndex() } catch { throw Failure(error) }
            let needs = index.needs.indices.filter { project == nil || index.needs[$0].project == project }
            let all = index.topOffersForAll(needs: needs, k: k, progress: MatchCommand.progress(total: needs.count))
            var rows: [[String]] = []
            for (n, hits) in zip(needs, all) {
                for (rank, h) in hits.enumerated() {
                    rows.append([rank == 0 ? index.needs[n].id : "", rank == 0 ? index.needs[n].project : "", String(rank + 1), index.offers[h.offer].id,
                                 index.offers[h.offer].owner, MatchCommand.percent(.double(Double(h.score) / Double(index.scale)))])
                }
                if hits.isEmpty { rows.append([index.needs[n].id, index.needs[n].project, "—", "no offer meets the hard constraints", "", ""]) }
            }
            printTable(["need", "project", "rank", "offer", "offerer", "score"], rows)
            print("\(needs.count) open needs, \(index.offers.count) offers open to matching")
        }
    }

    struct Allocate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An optimal assignment of offers to open needs (maximum total score within capacities).")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Candidate offers per need (1…200).") var candidates: Int = 20
        @Option(help: "Offers one need takes.") var needSlots: Int = 1
        @Option(help: "Needs one offer serves.") var offerSlots: Int = 1
        @Option(help: "Fairness: the most needs one member's offers serve.") var maxPerMember: Int?
        func run() throws {
            guard (1...200).contains(candidates), (1...100).contains(needSlots), (1...100).contains(offerSlots), (maxPerMember ?? 1) >= 1 else {
                throw ValidationError("--candidates 1…200, --need-slots and --offer-slots 1…100, --max-per-member at least 1")
            }
            let db = try options.open()
            if options.json {
                var p: JSONObject = ["candidates": .int(Int64(candidates)), "need_slots": .int(Int64(needSlots)), "offer_slots": .int(Int64(offerSlots))]
                if let maxPerMember { p["max_per_member"] = .int(Int64(maxPerMember)) }
                print(try invoke(db, "match.allocate", p).text)
                return
            }
            let index: MatchIndex
            let result: AllocationResult
            do {
                index = try db.store.matchIndex()
                result = try index.allocate(AllocationOptions(candidates: candidates, needSlots: needSlots, offerSlots: offerSlots, maxPerMember: maxPerMember),
                                            progress: MatchCommand.progress(total: index.needs.count))
            } catch { throw Failure(error) }
            printTable(["need", "project", "offer", "offerer", "score"], result.pairs.map { h in
                [index.needs[h.need].id, index.needs[h.need].project, index.offers[h.offer].id, index.offers[h.offer].owner,
                 MatchCommand.percent(.double(Double(h.score) / Double(index.scale)))]
            })
            let total = Double(result.objective) / Double(index.scale)
            print("\(result.pairs.count) of \(index.needs.count) open needs allocated over \(result.edges) candidate pairs; total score \((total * 100).rounded() / 100)")
        }
    }
}
