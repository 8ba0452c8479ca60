import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds interaction`: exchanges between the diaspora and Moroccan actors.
    struct Interactions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "interaction", abstract: "Interactions: meetings, calls, visits… between the diaspora and Moroccan actors.",
            subcommands: [Add.self, List.self])
    }
}

extension CDSCommand.Interactions {
    /// `cds interaction add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Records an exchange between a diaspora member (or association) and a Moroccan actor.",
            discussion: "Example: cds interaction add --db demo.sqlite --kind call --on 2026-06-02 --member mbr_… --organization org_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: "What kind of exchange.") var kind: InteractionKind
        @Option(help: "The day (YYYY-MM-DD).") var on: String
        @Option(help: ArgumentHelp("The diaspora member.", valueName: "id")) var member: String?
        @Option(name: .customLong("diaspora-organization"), help: ArgumentHelp("The diaspora association.", valueName: "id")) var diasporaOrganization: String?
        @Option(help: ArgumentHelp("The Moroccan actor.", valueName: "id")) var organization: String
        @Option(name: .customLong("local-member"), help: ArgumentHelp("The Moroccan actor's member who took part.", valueName: "id")) var localMember: String?
        @Option(help: ArgumentHelp("The project it was about.", valueName: "id")) var project: String?
        @Option(help: "A note.") var note: String?

        func run() throws {
            var p: JSONObject = ["kind": .string(kind.rawValue), "on": .string(on), "organization": .string(organization)]
            p.put("member", member)
            p.put("diaspora_organization", diasporaOrganization)
            p.put("local_member", localMember)
            p.put("project", project)
            p.put("note", note)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "interaction.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("interaction \(r["id"]?.cell ?? "") recorded: \(r["kind"]?.cell ?? "") on \(r["on"]?.cell ?? "")")
        }
    }

    /// `cds interaction list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists interactions.", discussion: "Example: cds interaction list --db demo.sqlite --organization org_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only with this Moroccan actor.", valueName: "id")) var organization: String?
        @Option(help: ArgumentHelp("Only with this diaspora member.", valueName: "id")) var member: String?
        @Option(help: ArgumentHelp("Only about this project.", valueName: "id")) var project: String?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("organization", organization)
            p.put("member", member)
            p.put("project", project)
            let r = try Session.call(try database.open(), "interaction.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "on", "kind", "diaspora", "with", "project"], noun: "interactions") {
                [$0["id"]?.cell ?? "", $0["on"]?.cell ?? "", $0["kind"]?.cell ?? "",
                 $0["member"].flatMap { $0.isNull ? nil : $0.cell } ?? $0["diaspora_organization"]?.cell ?? "",
                 $0["organization"]?.cell ?? "", $0["project"]?.cell ?? ""]
            }
        }
    }
}
