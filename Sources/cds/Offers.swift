import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds offer`: what members and organizations put on the table.
    struct Offers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "offer", abstract: "Offers: skills, information, network, finance, investment or material put on the table.",
            subcommands: [Add.self, Show.self, List.self, Update.self])
    }
}

/// An offer's availability windows, `FROM:UNTIL` each.
struct WindowOptions: ParsableArguments {
    @Option(name: .customLong("window"), help: ArgumentHelp("An availability window, FROM:UNTIL in YYYY-MM-DD (repeat).", valueName: "from:until"))
    var windows: [String] = []

    @Flag(help: "The offerer travels to Morocco in these windows.") var travel = false

    /// The windows as `{"from", "until", "travel"}`; nil for the first that is not FROM:UNTIL.
    var json: [JSON]? {
        var out: [JSON] = []
        for w in windows {
            let parts = w.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            out.append(["from": .string(parts[0]), "until": .string(parts[1]), "travel": .bool(travel)])
        }
        return out
    }

    func validate() throws {
        if json == nil { throw ValidationError("--window takes FROM:UNTIL, e.g. 2026-08-01:2026-08-31") }
    }

    /// Puts `windows` into params when some are given.
    func apply(to params: inout JSONObject) {
        if let w = json, !w.isEmpty { params["windows"] = .array(w) }
    }
}

extension CDSCommand.Offers {
    /// `cds offer add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Puts an offer on the table for a member or an organization.",
            discussion: "Example: cds offer add --db demo.sqlite --member mbr_… --kind skill --description 'Conception hydraulique' --skill 2142 --unit person_days --amount 10 --window 2026-08-01:2026-08-31 --travel --on-site --language fr --territory 09.581")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The member who offers.", valueName: "id")) var member: String?
        @Option(help: ArgumentHelp("The organization that offers.", valueName: "id")) var organization: String?
        @Option(help: "What kind of resource.") var kind: ResourceKind
        @Option(help: "What is offered, in a sentence.") var description: String?
        @Option(name: .customLong("skill"), help: "ISCO-08 or ESCO code (repeat).") var skills: [String] = []
        @OptionGroup(title: "Capacity") var capacity: QuantityOptions
        @OptionGroup var windows: WindowOptions
        @Flag(inversion: .prefixedNo, help: "Can work remotely.") var remote: Bool?
        @Flag(name: .customLong("on-site"), inversion: .prefixedNo, help: "Can work on site.") var onSite: Bool?
        @Option(name: .customLong("language"), help: "ISO 639 code (repeat).") var languages: [String] = []
        @Option(name: .customLong("territory"), help: "A territory of interest (repeat).") var territories: [String] = []
        @Option(name: .customLong("sector"), help: "A sector of interest (repeat).") var sectors: [String] = []
        @Flag(name: .customLong("contact-consent"), inversion: .prefixedNo, help: "May be contacted about matches.") var contactConsent: Bool?

        func validate() throws {
            if (member == nil) == (organization == nil) { throw ValidationError("give --member or --organization (one of them)") }
            if capacity.json == nil { throw ValidationError("give the capacity with --unit and --amount") }
        }

        func run() throws {
            var p: JSONObject = ["kind": .string(kind.rawValue)]
            p.put("member", member)
            p.put("organization", organization)
            p.put("description", description)
            p.put("skills", skills)
            p.put("capacity", capacity.json)
            windows.apply(to: &p)
            p.put("remote", remote)
            p.put("on_site", onSite)
            p.put("languages", languages)
            p.put("territories", territories)
            p.put("sectors", sectors)
            p.put("contact_consent", contactConsent)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "offer.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("offer \(r["id"]?.cell ?? "") on the table: \(r["kind"]?.cell ?? ""), \(Format.quantity(r["capacity"]))")
        }
    }

    /// `cds offer show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one offer.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The offer's id.") var id: String

        func run() throws {
            try Session.show("offer.get", id: id, database, output)
        }
    }

    /// `cds offer list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists offers.", discussion: "Example: cds offer list --db demo.sqlite --kind skill --status active")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only this member's.", valueName: "id")) var member: String?
        @Option(help: ArgumentHelp("Only this organization's.", valueName: "id")) var organization: String?
        @Option(help: "Only this kind.") var kind: ResourceKind?
        @Option(help: "Only with this status.") var status: OfferStatus?
        @Option(help: "Only with this skill code.") var skill: String?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("member", member)
            p.put("organization", organization)
            p.put("kind", kind)
            p.put("status", status)
            p.put("skill", skill)
            let r = try Session.call(try database.open(), "offer.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "offerer", "kind", "status", "capacity", "description"], noun: "offers") {
                [$0["id"]?.cell ?? "", CDSCommand.Matching.offerer($0), $0["kind"]?.cell ?? "", $0["status"]?.cell ?? "",
                 Format.quantity($0["capacity"]), $0["description"]?.cell ?? ""]
            }
        }
    }

    /// `cds offer update ID`.
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Changes the given fields of an offer, its status included.",
            discussion: "Example: cds offer update --db demo.sqlite ofr_… --status paused")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The offer's id.") var id: String
        @Option(help: "The new status.") var status: OfferStatus?
        @Option(help: "What is offered, in a sentence.") var description: String?
        @OptionGroup(title: "Capacity") var capacity: QuantityOptions
        @OptionGroup var windows: WindowOptions
        @Flag(inversion: .prefixedNo, help: "Can work remotely.") var remote: Bool?
        @Flag(name: .customLong("on-site"), inversion: .prefixedNo, help: "Can work on site.") var onSite: Bool?
        @Flag(name: .customLong("contact-consent"), inversion: .prefixedNo, help: "May be contacted about matches.") var contactConsent: Bool?

        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            p.put("status", status)
            p.put("description", description)
            p.put("capacity", capacity.json)
            windows.apply(to: &p)
            p.put("remote", remote)
            p.put("on_site", onSite)
            p.put("contact_consent", contactConsent)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "offer.update", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("offer \(r["id"]?.cell ?? ""): \(r["status"]?.cell ?? ""), \(Format.quantity(r["capacity"]))")
        }
    }
}
