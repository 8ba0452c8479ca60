import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds contribution`: pledges to projects and their delivery.
    struct Contributions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contribution", abstract: "Contributions: pledged, confirmed, delivered or cancelled.",
            subcommands: [Add.self, Show.self, List.self, Update.self])
    }
}

extension CDSCommand.Contributions {
    /// `cds contribution add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Records a pledge of a member or organization to a project, optionally answering one of its needs.",
            discussion: "Example: cds contribution add --db demo.sqlite --project prj_… --member mbr_… --kind finance --unit money --amount 500000 --currency MAD")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The project.", valueName: "id")) var project: String
        @Option(help: ArgumentHelp("The need it answers.", valueName: "id")) var need: String?
        @Option(help: ArgumentHelp("The member who pledges.", valueName: "id")) var member: String?
        @Option(help: ArgumentHelp("The organization that pledges.", valueName: "id")) var organization: String?
        @Option(help: "What kind of resource.") var kind: ResourceKind
        @OptionGroup(title: "Quantity") var quantity: QuantityOptions
        @Option(help: "The day of the pledge (YYYY-MM-DD).") var on: String?
        @Option(help: "A note.") var note: String?

        func validate() throws {
            if quantity.json == nil { throw ValidationError("give the quantity with --unit and --amount") }
        }

        func run() throws {
            var p: JSONObject = ["project": .string(project), "kind": .string(kind.rawValue)]
            p.put("need", need)
            p.put("member", member)
            p.put("organization", organization)
            p.put("quantity", quantity.json)
            p.put("on", on)
            p.put("note", note)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "contribution.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("contribution \(r["id"]?.cell ?? "") \(r["status"]?.cell ?? ""): \(Format.quantity(r["quantity"]))")
        }
    }

    /// `cds contribution show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one contribution.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The contribution's id.") var id: String

        func run() throws {
            try Session.show("contribution.get", id: id, database, output)
        }
    }

    /// `cds contribution list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists contributions.", discussion: "Example: cds contribution list --db demo.sqlite --status delivered")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only to this project.", valueName: "id")) var project: String?
        @Option(help: ArgumentHelp("Only this member's.", valueName: "id")) var member: String?
        @Option(help: ArgumentHelp("Only this organization's.", valueName: "id")) var organization: String?
        @Option(help: "Only with this status.") var status: ContributionStatus?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("project", project)
            p.put("member", member)
            p.put("organization", organization)
            p.put("status", status)
            let r = try Session.call(try database.open(), "contribution.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "project", "contributor", "kind", "status", "quantity"], noun: "contributions") {
                [$0["id"]?.cell ?? "", $0["project"]?.cell ?? "", CDSCommand.Matching.offerer($0), $0["kind"]?.cell ?? "",
                 $0["status"]?.cell ?? "", Format.quantity($0["quantity"])]
            }
        }
    }

    /// `cds contribution update ID --status …`.
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moves a contribution: pledged → confirmed → delivered, or cancelled, on a day.",
            discussion: "Example: cds contribution update --db demo.sqlite ctb_… --status confirmed --on 2026-07-01")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The contribution's id.") var id: String
        @Option(help: "The new status.") var status: ContributionStatus
        @Option(help: "The day it happened (YYYY-MM-DD).") var on: String?
        @Option(help: "A note.") var note: String?

        func run() throws {
            var p: JSONObject = ["id": .string(id), "status": .string(status.rawValue)]
            p.put("on", on)
            p.put("note", note)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "contribution.update", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("contribution \(r["id"]?.cell ?? "") \(r["status"]?.cell ?? ""): \(Format.quantity(r["quantity"]))")
        }
    }
}
