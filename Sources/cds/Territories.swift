import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds territory`: the reference territories (an in-memory database suffices to read them).
    struct Territories: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "territory", abstract: "Morocco's regions, provinces and communes.",
            subcommands: [List.self, Show.self])
    }
}

extension CDSCommand.Territories {
    /// `cds territory list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists territories by level and parent.",
            discussion: "Example: cds territory list --level commune --parent 09.541")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this level.") var level: TerritoryLevel?
        @Option(help: "The parent's HCP code, e.g. 09.541 (Taroudannt).") var parent: String?
        @Option(name: .customLong("q"), help: "Name contains (accents ignored).") var query: String?
        @Option(help: "At most this many.") var limit: Int = 1000

        func run() throws {
            var p: JSONObject = [:]
            p.put("limit", limit)
            p.put("level", level)
            p.put("parent", parent)
            p.put("q", query)
            let r = try Session.call(try database.open(fallback: ":memory:"), "territory.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["code", "name", "الاسم", "level", "kind", "population"], noun: "territories") {
                [$0["code"]?.cell ?? "", $0["name"]?["fr"]?.cell ?? "", $0["name"]?["ar"]?.cell ?? "", $0["level"]?.cell ?? "",
                 $0["kind"]?.cell ?? "", $0["population"]?.cell ?? ""]
            }
        }
    }

    /// `cds territory show CODE`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one territory.", discussion: "Example: cds territory show 09.541.11.33")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The HCP code.") var code: String

        func run() throws {
            let r = try Session.call(try database.open(fallback: ":memory:"), "territory.get", ["code": .string(code)], locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["code"]?.cell ?? "")  \(r["name"]?["fr"]?.cell ?? "") / \(r["name"]?["ar"]?.cell ?? "")")
            print("level \(r["level"]?.cell ?? ""), \(r["kind"]?.cell ?? ""), parent \(r["parent"]?.cell ?? "—"), population \(r["population"]?.cell ?? "")")
        }
    }
}
