import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds need`: what projects lack.
    struct Needs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "need", abstract: "Needs: what a project lacks, matched with the offers.",
            subcommands: [Add.self, Show.self, List.self, Update.self])
    }
}

extension CDSCommand.Needs {
    /// `cds need add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declares something a project lacks.",
            discussion: "Example: cds need add --db demo.sqlite --project prj_… --kind skill --description 'Suivi de chantier' --skill 3112 --unit person_days --amount 5 --mode on_site --language fr")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The project.", valueName: "id")) var project: String
        @Option(help: "What kind of resource.") var kind: ResourceKind
        @Option(help: "What is needed, in a sentence.") var description: String
        @Option(name: .customLong("skill"), help: "ISCO-08 or ESCO code (repeat).") var skills: [String] = []
        @OptionGroup(title: "Quantity") var quantity: QuantityOptions
        @Option(help: "Needed from this day (YYYY-MM-DD).") var from: String?
        @Option(help: "Needed until this day (YYYY-MM-DD).") var until: String?
        @Option(help: "Where the work is done.") var mode: WorkMode?
        @Option(name: .customLong("language"), help: "ISO 639 code (repeat).") var languages: [String] = []
        @Flag(inversion: .prefixedNo, help: "The project cannot be funded without it.") var critical: Bool?

        func validate() throws {
            if quantity.json == nil { throw ValidationError("give the quantity with --unit and --amount") }
        }

        func run() throws {
            var p: JSONObject = ["project": .string(project), "kind": .string(kind.rawValue), "description": .string(description)]
            p.put("skills", skills)
            p.put("quantity", quantity.json)
            p.put("from", from)
            p.put("until", until)
            p.put("mode", mode)
            p.put("languages", languages)
            p.put("critical", critical)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "need.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("need \(r["id"]?.cell ?? "") declared: \(r["kind"]?.cell ?? ""), \(Format.quantity(r["quantity"]))")
        }
    }

    /// `cds need show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one need.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The need's id.") var id: String

        func run() throws {
            try Session.show("need.get", id: id, database, output)
        }
    }

    /// `cds need list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists needs.", discussion: "Example: cds need list --db demo.sqlite --status open")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only this project's.", valueName: "id")) var project: String?
        @Option(help: "Only with this status.") var status: NeedStatus?
        @Option(help: "Only this kind.") var kind: ResourceKind?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("project", project)
            p.put("status", status)
            p.put("kind", kind)
            let r = try Session.call(try database.open(), "need.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "project", "kind", "status", "quantity", "critical", "description"], noun: "needs") {
                [$0["id"]?.cell ?? "", $0["project"]?.cell ?? "", $0["kind"]?.cell ?? "", $0["status"]?.cell ?? "",
                 Format.quantity($0["quantity"]), $0["critical"]?.boolValue == true ? "yes" : "", $0["description"]?.cell ?? ""]
            }
        }
    }

    /// `cds need update ID`.
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Changes the given fields of a need, its status included.",
            discussion: "Example: cds need update --db demo.sqlite ned_… --status cancelled")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The need's id.") var id: String
        @Option(help: "The new status.") var status: NeedStatus?
        @Option(help: "What is needed, in a sentence.") var description: String?
        @OptionGroup(title: "Quantity") var quantity: QuantityOptions
        @Option(help: "Where the work is done.") var mode: WorkMode?
        @Flag(inversion: .prefixedNo, help: "The project cannot be funded without it.") var critical: Bool?

        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            p.put("status", status)
            p.put("description", description)
            p.put("quantity", quantity.json)
            p.put("mode", mode)
            p.put("critical", critical)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "need.update", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("need \(r["id"]?.cell ?? ""): \(r["status"]?.cell ?? ""), \(Format.quantity(r["quantity"]))")
        }
    }
}
