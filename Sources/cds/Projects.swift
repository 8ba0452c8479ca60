import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds project`: projects and their maturation workflow.
    struct Projects: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "project", abstract: "Projects and their maturation, from an idea to capitalization.",
            subcommands: [List.self, Show.self, Checklist.self, Advance.self, History.self])

        /// A title in the locale asked, else French, else the first.
        static func title(_ p: JSON, _ locale: Locale?) -> String {
            let t = p["title"]?.objectValue
            return t?[(locale ?? .fr).rawValue]?.stringValue ?? t?[Locale.fr.rawValue]?.stringValue ?? t?.members.first?.value.stringValue ?? ""
        }

        /// Prints a checklist: the stage, the target, what is met and what is missing.
        static func printChecklist(_ k: JSON) {
            let target = k["target"]?.stringValue ?? "—"
            print("stage \(k["stage"]?.cell ?? ""), checking \(target) — readiness for the next stage \(Format.percent(k["readiness"]))")
            for m in k["met"]?.arrayValue ?? [] { print("  [x] \(m["label"]?.cell ?? "")  (\(m["key"]?.cell ?? ""))") }
            for m in k["missing"]?.arrayValue ?? [] { print("  [ ] \(m["label"]?.cell ?? "")  (\(m["key"]?.cell ?? ""))") }
            if k["missing"]?.arrayValue?.isEmpty == true, target != "—" { print("ready to move to \(target)") }
        }
    }
}

extension CDSCommand.Projects {
    /// `cds project list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists projects.", discussion: "Example: cds project list --db demo.sqlite --territory 09.581 --stage ready")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: "Only at this stage.") var stage: Stage?
        @Option(help: "Only in this territory (a province or region includes its communes).") var territory: String?
        @Option(help: "Only this PAC sector.") var sector: String?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("stage", stage)
            p.put("territory", territory)
            p.put("sector", sector)
            let r = try Session.call(try database.open(), "project.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "code", "stage", "title", "communes", "sector", "budget"], noun: "projects") {
                [$0["id"]?.cell ?? "", $0["code"]?.cell ?? "", $0["stage"]?.cell ?? "", CDSCommand.Projects.title($0, output.locale),
                 $0["communes"]?.cell ?? "", $0["sector"]?.cell ?? "", Format.money($0["budget"]?["total"])]
            }
        }
    }

    /// `cds project show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a project and its checklist for the next stage.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The project's id.") var id: String

        func run() throws {
            let p = try Session.call(try database.open(), "project.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(p) { return }
            print("\(p["code"]?.cell ?? "")  \(CDSCommand.Projects.title(p, output.locale))")
            print("stage: \(p["stage"]?.cell ?? "")\(p["on_hold_from"]?.isNull == false ? " (left \(p["on_hold_from"]?.cell ?? ""))" : "")")
            print("communes: \(p["communes"]?.cell ?? "")   sector: \(p["sector"]?.cell ?? "—") / DAC \(p["dac_code"]?.cell ?? "—")")
            print("ADC: \(p["adc"]?.cell ?? "—")   lead: \(p["lead_organization"]?.cell ?? "—")")
            if let b = p["beneficiaries"], !b.isNull { print("beneficiaries: \(b["total"]?.cell ?? "") (women \(b["women"]?.cell ?? ""), youth \(b["youth"]?.cell ?? ""))") }
            print("dates: \(p["start_on"]?.cell ?? "?") → \(p["end_on"]?.cell ?? "?")   started: \(p["started_on"]?.cell ?? "—")   progress: \(p["progress"]?.cell ?? "0") %")
            print("budget: \(Format.money(p["budget"]?["total"]))")
            for s in p["funding_plan"]?.arrayValue ?? [] {
                print("  funding: \(s["label"]?.cell ?? "") \(Format.money(s["amount"])) (\(s["status"]?.cell ?? ""))")
            }
            if let k = p["checklist"] { CDSCommand.Projects.printChecklist(k) }
        }
    }

    /// `cds project checklist ID`.
    struct Checklist: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What a project lacks to reach a stage (default: the next).",
            discussion: "Example: cds project checklist --db demo.sqlite prj_… --to ready --locale ar")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The project's id.") var id: String
        @Option(help: "The stage to check.") var to: Stage?

        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            p.put("to", to)
            let k = try Session.call(try database.open(), "project.checklist", p, locale: output.locale)
            if output.printedJSON(k) { return }
            CDSCommand.Projects.printChecklist(k)
        }
    }

    /// `cds project advance ID`.
    struct Advance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moves a project to the next stage (or --to a stage); lists what is missing when it cannot.",
            discussion: "Example: cds project advance --db demo.sqlite prj_… --actor mbr_… --note 'validé en réunion'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The project's id.") var id: String
        @Option(help: ArgumentHelp("The member who moves it (the project's ADC, a facilitator or an admin).", valueName: "id")) var actor: String
        @Option(help: "The stage to move to (default: the next).") var to: Stage?
        @Option(help: "Why (required to reject or abandon).") var note: String?

        func run() throws {
            let db = try database.open()
            var target = to?.rawValue
            if target == nil {
                target = try Session.call(db, "project.checklist", ["id": .string(id)])["target"]?.stringValue
            }
            guard let target else { throw Failure(code: "transition_not_allowed", "the project is closed: it has no next stage") }
            var p: JSONObject = ["id": .string(id), "to": .string(target), "actor": .string(actor)]
            p.put("note", note)
            let r = try Session.call(db, "project.transition", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["code"]?.cell ?? "") is now at stage \(r["stage"]?.cell ?? "")")
        }
    }

    /// `cds project history ID`.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every event of a project and of its needs.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The project's id.") var id: String
        @Option(help: "At most this many events.") var limit: Int = 1000

        func run() throws {
            let r = try Session.call(try database.open(), "project.history", ["id": .string(id), "limit": .int(Int64(limit))], locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["#", "occurred", "actor", "event", "from", "to", "note"], noun: "events") {
                [$0["seq"]?.cell ?? "", $0["occurred_at"]?.cell ?? "", $0["actor"]?.cell ?? "", $0["type"]?.cell ?? "",
                 $0["from"]?.cell ?? "", $0["to"]?.cell ?? "", $0["note"]?.cell ?? ""]
            }
        }
    }
}
