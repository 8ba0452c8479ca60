import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds organization`: the CDS's partners.
    struct Organizations: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "organization", abstract: "Communes, associations, cooperatives, funders…",
            subcommands: [List.self, Show.self])
    }
}

extension CDSCommand.Organizations {
    /// `cds organization list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists organizations.", discussion: "Example: cds organization list --db demo.sqlite --kind commune")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: "Only this kind.") var kind: OrganizationKind?
        @Option(help: "Only seated in this territory or below it.") var territory: String?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("kind", kind)
            p.put("territory", territory)
            let r = try Session.call(try database.open(), "organization.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.items(r, ["id", "kind", "name", "country", "territory"], noun: "organizations")
        }
    }

    /// `cds organization show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one organization.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The organization's id.") var id: String

        func run() throws {
            try Session.show("organization.get", id: id, database, output)
        }
    }
}
