import ArgumentParser
import CDSCore

#if canImport(Glibc)
import Glibc
#endif

extension CampaignModel: ExpressibleByArgument {}
extension CampaignStatus: ExpressibleByArgument {}
extension InKindKind: ExpressibleByArgument {}

extension CDSCommand {
    /// `cds campaign`: campaigns for a project or one of its finance needs.
    struct Campaigns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "campaign", abstract: "Solidarity-finance campaigns: all_or_nothing or keep_it_all, from draft to settled.",
            subcommands: [Create.self, Open.self, Settle.self, Show.self, List.self])

        /// One line of a campaign: its status, model, and what was received beside what was pledged.
        static func line(_ c: JSON) -> String {
            let t = c["totals"]
            return "campaign \(c["id"]?.cell ?? "") \(c["status"]?.cell ?? "") (\(c["model"]?.cell ?? "")): received \(Format.money(t?["received"])) of \(Format.money(c["goal"]))"
                + " — collected \(Format.money(t?["collected"])), matched \(Format.money(t?["matched"])); pledged, not received yet: \(Format.money(t?["pledged"]))"
                + (t?["refunded"]?["minor"]?.intValue ?? 0 > 0 ? "; refunded \(Format.money(t?["refunded"]))" : "")
        }
    }

    /// `cds gift`: gifts and pledges to campaigns, and their states.
    struct Gifts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gift", abstract: "Gifts and pledges: pledged, collected (matched by the pools), refunded or cancelled.",
            subcommands: [Pledge.self, Collect.self, Refund.self, Cancel.self, Fail.self, Drop.self, Show.self, List.self])

        /// One line of a gift: its status, amount (and the amount as given), and its matches, partial ones with why.
        static func line(_ g: JSON) -> String {
            var s = "gift \(g["id"]?.cell ?? "") \(g["status"]?.cell ?? ""): \(Format.money(g["amount"]))"
            if let o = g["original"], !o.isNull { s += " (given \(Format.money(o)) at \(g["rate"]?["rate"]?.cell ?? ""))" }
            let currency = g["amount"]?["currency"]
            for m in g["matches"]?.arrayValue ?? [] {
                s += ", matched \(Format.money(minor: m["amount"], currency: currency)) by \(m["pool"]?.cell ?? "")"
                if m["partial"] == true { s += " (partial: \(Format.money(minor: m["wanted"], currency: currency)) wanted, \(m["limited_by"]?.cell ?? ""))" }
                if m["released_on"]?.isNull == false { s += " released on \(m["released_on"]?.cell ?? "")" }
            }
            return s
        }
    }

    /// `cds pool`: matching pools.
    struct Pools: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pool", abstract: "Matching pools: a funder matches a rate of each gift collected, within caps, until it runs out.",
            subcommands: [Create.self, Show.self, List.self])

        /// One line of a pool: its rate, amount, what it matched and what is left.
        static func line(_ p: JSON) -> String {
            "pool \(p["id"]?.cell ?? "") \(p["name"]?.cell ?? ""): \(BasisPoints.text(p["rate_bp"]?.intValue ?? 0)) of each gift, "
                + "\(Format.money(p["amount"])) put in, \(Format.money(p["used"])) matched, \(Format.money(p["left"])) left"
        }
    }

    /// `cds programme`: co-financing programmes as versioned data.
    struct Programmes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "programme", abstract: "Co-financing programmes (PRA/OSIM, FDVA, AFD FICOL, and the CDS's own), versioned.",
            subcommands: [List.self, Show.self, Define.self])
    }

    /// `cds rate`: dated exchange rates.
    struct Rates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rate", abstract: "Dated exchange rates: gifts, programmes' caps and the finance report convert with the newest on or before their day.",
            subcommands: [SetRate.self, List.self])
    }

    /// `cds valuation`: the values of contributions in kind.
    struct Valuations: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "valuation", abstract: "The value the CDS gives a day of volunteer time or a unit of material, from a day.",
            subcommands: [SetValue.self, List.self])
    }

    /// `cds funding-check PROJECT`.
    struct FundingCheck: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "funding-check",
            abstract: "Checks a project's funding plan against every programme it draws on: each rule met or broken, asked against allowed.",
            discussion: "A broken rule is the checklist item programme.<id>.<rule> that keeps the project from ready and funded.\nExample: cds funding-check --db demo.sqlite prj_… --on 2026-06-01 --locale en")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The project's id.") var project: String
        @Option(help: "The day of the check (default: today).") var on: String?

        func run() throws {
            var p: JSONObject = ["id": .string(project)]
            p.put("on", on)
            let r = try Session.call(try database.open(), "project.funding_check", p, locale: output.locale)
            if output.printedJSON(r) { return }
            let programmes = r["programmes"]?.arrayValue ?? []
            var broken = 0
            for g in programmes {
                let version = g["version"]?.intValue.map { " version \($0)" } ?? ""
                print("\(g["programme"]?.cell ?? "")\(version): \(g["met"] == true ? "met" : "broken") — cost \(Format.money(g["cost"])), grant \(Format.money(g["grant"])), "
                      + "public funds \(Format.money(g["public_funds"])), local \(Format.money(g["local_funds"])), in kind counted \(Format.money(g["in_kind_counted"]))")
                for rule in g["rules"]?.arrayValue ?? [] {
                    let met = rule["met"] == true
                    if !met { broken += 1 }
                    print("  \(met ? "[x] met   " : "[ ] broken")  \(rule["label"]?.cell ?? "")  (\(rule["key"]?.cell ?? ""))")
                }
            }
            if programmes.isEmpty { print("the funding plan of \(project) draws on no programme") }
            else if broken == 0 { print("every rule met") }
            else { print("\(broken) rule\(broken == 1 ? "" : "s") broken: the project cannot become ready or funded") }
        }
    }

    /// `cds finance`: the figures of solidarity finance.
    struct Finance: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "finance", abstract: "The figures of solidarity finance.", subcommands: [Report.self])
    }
}

/// A typed amount and its currency: `--amount 150.00 --currency EUR`.
struct MoneyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The amount in major units, at most 2 decimals: 150.00.", valueName: "decimal")) var amount: String
    @Option(help: ArgumentHelp("The ISO 4217 currency (MAD, EUR…).", valueName: "code")) var currency: String

    /// The amount reads as minor units.
    func validate() throws { _ = try Amount.minor(amount, option: "amount") }

    /// `{"minor", "currency"}`.
    func json() throws -> JSON { try Amount.money(amount, currency: currency, option: "amount") }
}

extension CDSCommand.Campaigns {
    /// `cds campaign create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates a draft campaign for a project or one of its finance needs.",
            discussion: "Example: cds campaign create --db demo.sqlite --project prj_… --title 'Le réseau d'eau' --model all_or_nothing --goal 1000.00 --currency EUR --opens-on 2026-06-01 --closes-on 2026-06-30")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The project.", valueName: "id")) var project: String
        @Option(help: ArgumentHelp("One of its finance needs.", valueName: "id")) var need: String?
        @Option(help: "Its title.") var title: String
        @Option(help: "The title's language.") var language: Locale = .fr
        @Option(help: "How it pays out.") var model: CampaignModel
        @Option(help: ArgumentHelp("The goal in major units, at most 2 decimals: 1000.00.", valueName: "decimal")) var goal: String
        @Option(help: ArgumentHelp("The campaign's currency (ISO 4217).", valueName: "code")) var currency: String
        @Option(name: .customLong("opens-on"), help: ArgumentHelp("The first day it takes gifts.", valueName: "date")) var opensOn: String
        @Option(name: .customLong("closes-on"), help: ArgumentHelp("Its deadline.", valueName: "date")) var closesOn: String

        func validate() throws { _ = try Amount.minor(goal, option: "goal") }

        func run() throws {
            var p: JSONObject = ["project": .string(project), "title": [language.rawValue: .string(title)], "model": .string(model.rawValue),
                                 "goal": try Amount.money(goal, currency: currency, option: "goal"), "opens_on": .string(opensOn), "closes_on": .string(closesOn)]
            p.put("need", need)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "campaign.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("campaign \(r["id"]?.cell ?? "") \(r["status"]?.cell ?? ""): \(r["model"]?.cell ?? ""), goal \(Format.money(r["goal"])), \(r["opens_on"]?.cell ?? "") → \(r["closes_on"]?.cell ?? "")")
        }
    }

    /// `cds campaign open ID`.
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Opens a draft campaign to gifts.", discussion: "Example: cds campaign open --db demo.sqlite cmp_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The campaign's id.") var id: String

        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "campaign.open", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("campaign \(r["id"]?.cell ?? "") \(r["status"]?.cell ?? ""): takes gifts from \(r["opens_on"]?.cell ?? "") to \(r["closes_on"]?.cell ?? "")")
        }
    }

    /// `cds campaign settle ID`.
    struct Settle: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settles an open campaign after its deadline: all_or_nothing succeeds or refunds every gift, keep_it_all confirms what was collected.",
            discussion: "Example: cds campaign settle --db demo.sqlite cmp_… --on 2026-07-01")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The campaign's id.") var id: String
        @Option(help: "The day it is settled, after the deadline (default: today).") var on: String?

        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            p.put("on", on)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "campaign.settle", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print(CDSCommand.Campaigns.line(r))
        }
    }

    /// `cds campaign show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a campaign: what was received beside what was pledged, and its pools.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The campaign's id.") var id: String

        func run() throws {
            let r = try Session.call(try database.open(), "campaign.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(r) { return }
            print(CDSCommand.Campaigns.line(r))
            print("\(CDSCommand.Projects.title(r, output.locale)) — project \(r["project"]?.cell ?? "")\(r["need"]?.isNull == false ? ", need \(r["need"]?.cell ?? "")" : "")"
                  + ", \(r["opens_on"]?.cell ?? "") → \(r["closes_on"]?.cell ?? "")\(r["settled_on"]?.isNull == false ? ", settled on \(r["settled_on"]?.cell ?? "")" : "")")
            for pool in r["pools"]?.arrayValue ?? [] { print("  " + CDSCommand.Pools.line(pool)) }
        }
    }

    /// `cds campaign list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists campaigns with their totals.", discussion: "Example: cds campaign list --db demo.sqlite --status open")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("Only this project's.", valueName: "id")) var project: String?
        @Option(help: "Only this status.") var status: CampaignStatus?

        func run() throws {
            var p: JSONObject = [:]
            p.put("project", project)
            p.put("status", status)
            let r = try Session.call(try database.open(), "campaign.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "project", "model", "status", "goal", "received", "pledged", "closes_on"], noun: "campaigns") {
                [$0["id"]?.cell ?? "", $0["project"]?.cell ?? "", $0["model"]?.cell ?? "", $0["status"]?.cell ?? "", Format.money($0["goal"]),
                 Format.money($0["totals"]?["received"]), Format.money($0["totals"]?["pledged"]), $0["closes_on"]?.cell ?? ""]
            }
        }
    }
}

/// The gift a move applies to, and the day.
struct GiftMoveOptions: ParsableArguments {
    @Argument(help: "The gift's id.") var id: String
    @Option(help: "The day it happened (default: today).") var on: String?

    /// Calls `gift.move` to `status` and prints the gift's line.
    func move(to status: GiftStatus, _ database: DatabaseOptions, _ output: OutputOptions, _ actor: ActorOptions) throws {
        var p: JSONObject = ["id": .string(id), "to": .string(status.rawValue)]
        p.put("on", on)
        p.put("actor", actor.actor)
        let r = try Session.call(try database.open(), "gift.move", p, locale: output.locale)
        if output.printedJSON(r) { return }
        print(CDSCommand.Gifts.line(r))
    }
}

extension CDSCommand.Gifts {
    /// `cds gift pledge`.
    struct Pledge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Takes a pledge (or, with --collected, a gift received at once) from a member or an organization to an open campaign.",
            discussion: "In another currency than the campaign's, it is converted at the CDS's newest rate on or before the day (refused without one).\nExample: cds gift pledge --db demo.sqlite --campaign cmp_… --member mbr_… --amount 150.00 --currency EUR --on 2026-06-02")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The campaign.", valueName: "id")) var campaign: String
        @Option(help: ArgumentHelp("The giving member.", valueName: "id")) var member: String?
        @Option(help: ArgumentHelp("The giving organization.", valueName: "id")) var organization: String?
        @OptionGroup(title: "Amount") var money: MoneyOptions
        @Option(help: "The day of the pledge (default: today).") var on: String?
        @Flag(help: "The money is received now: collect it and apply the matching pools.") var collected = false

        func validate() throws {
            if (member == nil) == (organization == nil) { throw ValidationError("give --member or --organization (one of them)") }
        }

        func run() throws {
            var p: JSONObject = ["campaign": .string(campaign), "amount": try money.json()]
            p.put("member", member)
            p.put("organization", organization)
            p.put("on", on)
            if collected { p["collected"] = true }
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "gift.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print(CDSCommand.Gifts.line(r))
        }
    }

    /// `cds gift collect ID`.
    struct Collect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Records a pledge's money as received: the pools match it (partially when a cap or the pool's end is reached, said on the gift).",
            discussion: "Example: cds gift collect --db demo.sqlite gft_… --on 2026-06-03")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var gift: GiftMoveOptions

        func run() throws { try gift.move(to: .collected, database, output, actor) }
    }

    /// `cds gift refund ID`.
    struct Refund: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refunds a collected gift; its matches go back to the pools.", discussion: "Example: cds gift refund --db demo.sqlite gft_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var gift: GiftMoveOptions

        func run() throws { try gift.move(to: .refunded, database, output, actor) }
    }

    /// `cds gift cancel ID`.
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancels a pledge not collected: it is released.", discussion: "Example: cds gift cancel --db demo.sqlite gft_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var gift: GiftMoveOptions

        func run() throws { try gift.move(to: .cancelled, database, output, actor) }
    }

    /// `cds gift fail ID`.
    struct Fail: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Records that collecting a pledge failed (errored): it is retried until 14 days after the deadline, then dropped.",
            discussion: "Example: cds gift fail --db demo.sqlite gft_… --on 2026-06-20")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var gift: GiftMoveOptions

        func run() throws { try gift.move(to: .errored, database, output, actor) }
    }

    /// `cds gift drop ID`.
    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drops a gift whose collection failed, without waiting for the end of the grace period.", discussion: "Example: cds gift drop --db demo.sqlite gft_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var gift: GiftMoveOptions

        func run() throws { try gift.move(to: .dropped, database, output, actor) }
    }

    /// `cds gift show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a gift, its states' days and its matches.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The gift's id.") var id: String

        func run() throws {
            let r = try Session.call(try database.open(), "gift.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(r) { return }
            print(CDSCommand.Gifts.line(r))
            let days = ["pledged_on", "collected_on", "errored_on", "cancelled_on", "dropped_on", "refunded_on"].compactMap { k in
                r[k]?.stringValue.map { "\(k.dropLast(3)) \($0)" }
            }
            print("campaign \(r["campaign"]?.cell ?? ""), from \(r["member"]?.stringValue ?? r["organization"]?.stringValue ?? ""): " + days.joined(separator: ", "))
        }
    }

    /// `cds gift list --campaign ID`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the gifts of a campaign, in the order they came.", discussion: "Example: cds gift list --db demo.sqlite --campaign cmp_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("The campaign.", valueName: "id")) var campaign: String

        func run() throws {
            let r = try Session.call(try database.open(), "gift.list", ["campaign": .string(campaign)], locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "giver", "amount", "status", "pledged_on", "matched", "partial"], noun: "gifts") { g in
                let partial = (g["matches"]?.arrayValue ?? []).filter { $0["partial"] == true }.map { $0["limited_by"]?.cell ?? "" }
                return [g["id"]?.cell ?? "", g["member"]?.stringValue ?? g["organization"]?.stringValue ?? "", Format.money(g["amount"]), g["status"]?.cell ?? "",
                        g["pledged_on"]?.cell ?? "", Format.money(minor: g["matched"], currency: g["amount"]?["currency"]), partial.joined(separator: ",")]
            }
        }
    }
}

extension CDSCommand.Pools {
    /// `cds pool create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates a matching pool for a campaign or a project: a rate of each gift collected in its window, first come first served, within caps.",
            discussion: "Example: cds pool create --db demo.sqlite --organization org_… --name \"Abondement d'Anzi\" --campaign cmp_… --amount 300.00 --currency EUR --rate-bp 10000 --cap-per-donor 50.00 --opens-on 2026-06-01 --closes-on 2026-06-30")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The funding organization (a commune, a funder).", valueName: "id")) var organization: String?
        @Option(help: ArgumentHelp("Or the funding member.", valueName: "id")) var member: String?
        @Option(help: "Its name.") var name: String
        @Option(help: ArgumentHelp("The campaign whose gifts it matches.", valueName: "id")) var campaign: String?
        @Option(help: ArgumentHelp("Or the project whose campaigns it matches.", valueName: "id")) var project: String?
        @OptionGroup(title: "What the funder puts in") var money: MoneyOptions
        @Option(name: .customLong("rate-bp"), help: "The rate in basis points of a gift: 10000 matches one for one, 5000 half.") var rateBP: Int
        @Option(name: .customLong("tier"), help: ArgumentHelp("The part of a gift up to an amount matched at its own rate, UP_TO:RATE_BP (repeat, increasing): 100.00:20000.", valueName: "up_to:bp")) var tiers: [String] = []
        @Flag(name: .customLong("over-one-for-one"), help: "Declares a rate over 100 % (refused otherwise).") var overOneForOne = false
        @Option(name: .customLong("min-gift"), help: ArgumentHelp("The smallest gift matched, in major units.", valueName: "decimal")) var minGift: String?
        @Option(name: .customLong("cap-per-gift"), help: ArgumentHelp("The most matched per gift, in major units.", valueName: "decimal")) var capPerGift: String?
        @Option(name: .customLong("cap-per-donor"), help: ArgumentHelp("The most matched per donor, in major units.", valueName: "decimal")) var capPerDonor: String?
        @Option(name: .customLong("cap-per-project"), help: ArgumentHelp("The most matched per project, in major units.", valueName: "decimal")) var capPerProject: String?
        @Option(name: .customLong("opens-on"), help: ArgumentHelp("The first day gifts collected are matched.", valueName: "date")) var opensOn: String
        @Option(name: .customLong("closes-on"), help: ArgumentHelp("The last day.", valueName: "date")) var closesOn: String

        func validate() throws {
            if (organization == nil) == (member == nil) { throw ValidationError("give --organization or --member (one of them)") }
            if (campaign == nil) == (project == nil) { throw ValidationError("give --campaign or --project (one of them)") }
            _ = try params()
        }

        /// The pool's params: amounts in minor units, tiers as objects.
        func params() throws -> JSONObject {
            var p: JSONObject = ["name": .string(name), "amount": try money.json(), "rate_bp": .int(Int64(rateBP)), "opens_on": .string(opensOn), "closes_on": .string(closesOn)]
            p.put("organization", organization)
            p.put("member", member)
            p.put("campaign", campaign)
            p.put("project", project)
            if overOneForOne { p["over_one_for_one"] = true }
            for (key, option, value) in [("min_gift", "min-gift", minGift), ("cap_per_gift", "cap-per-gift", capPerGift),
                                         ("cap_per_donor", "cap-per-donor", capPerDonor), ("cap_per_project", "cap-per-project", capPerProject)] {
                if let value { p[key] = .int(try Amount.minor(value, option: option)) }
            }
            var list: [JSON] = []
            for t in tiers {
                let parts = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, let upTo = parts.first, let bp = parts.last.flatMap({ Int64($0) }) else { throw ValidationError("--tier takes UP_TO:RATE_BP, e.g. 100.00:20000, not '\(t)'") }
                list.append(["up_to": .int(try Amount.minor(upTo, option: "tier")), "rate_bp": .int(bp)])
            }
            if !list.isEmpty { p["tiers"] = .array(list) }
            return p
        }

        func run() throws {
            var p = try params()
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "pool.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print(CDSCommand.Pools.line(r))
        }
    }

    /// `cds pool show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a matching pool: its rules, what it matched and what is left.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The pool's id.") var id: String

        func run() throws {
            let r = try Session.call(try database.open(), "pool.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(r) { return }
            print(CDSCommand.Pools.line(r))
            let currency = r["amount"]?["currency"]
            let caps = [("min gift", "min_gift"), ("cap per gift", "cap_per_gift"), ("cap per donor", "cap_per_donor"), ("cap per project", "cap_per_project")].compactMap { label, key in
                r[key]?.intValue.map { "\(label) \(Format.money(minor: .int($0), currency: currency))" }
            }
            let tiers = (r["tiers"]?.arrayValue ?? []).map { "up to \(Format.money(minor: $0["up_to"], currency: currency)) at \(BasisPoints.text($0["rate_bp"]?.intValue ?? 0))" }
            print("matches \(r["campaign"]?.stringValue.map { "campaign \($0)" } ?? "project \(r["project"]?.cell ?? "")") from \(r["opens_on"]?.cell ?? "") to \(r["closes_on"]?.cell ?? ""), funded by \(r["organization"]?.stringValue ?? r["member"]?.stringValue ?? "")")
            if !(tiers + caps).isEmpty { print((tiers + caps).joined(separator: "; ")) }
        }
    }

    /// `cds pool list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists matching pools, first created first.", discussion: "Example: cds pool list --db demo.sqlite --campaign cmp_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("Only this campaign's.", valueName: "id")) var campaign: String?
        @Option(help: ArgumentHelp("Only those matching this project's campaigns.", valueName: "id")) var project: String?

        func run() throws {
            var p: JSONObject = [:]
            p.put("campaign", campaign)
            p.put("project", project)
            let r = try Session.call(try database.open(), "pool.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "name", "rate", "amount", "used", "left", "for"], noun: "pools") {
                [$0["id"]?.cell ?? "", $0["name"]?.cell ?? "", BasisPoints.text($0["rate_bp"]?.intValue ?? 0), Format.money($0["amount"]), Format.money($0["used"]),
                 Format.money($0["left"]), $0["campaign"]?.stringValue ?? $0["project"]?.stringValue ?? ""]
            }
        }
    }
}

extension CDSCommand.Programmes {
    /// `cds programme list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the newest version of every programme, with its source and the day it was read.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let r = try Session.call(try database.open(fallback: ":memory:"), "programme.list", [:], locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "version", "funder", "rules", "read_on", "builtin"], noun: "programmes") { g in
                let rules = [("max_share_bp", "share"), ("max_amount", "amount"), ("max_total", "ceiling"), ("max_public_share_bp", "public"), ("min_local_share_bp", "local")]
                    .filter { g[$0.0]?.isNull == false }.map(\.1)
                return [g["id"]?.cell ?? "", g["version"]?.cell ?? "", g["funder"]?.cell ?? "", rules.joined(separator: ","), g["read_on"]?.cell ?? "", g["builtin"] == true ? "yes" : "no"]
            }
        }
    }

    /// `cds programme show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a programme's rules: its newest version, or the version asked.", discussion: "Example: cds programme show pra_osim --locale en")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The programme's id: pra_osim, fdva, afd_ficol…") var id: String
        @Option(help: "A version (default: the newest).") var version: Int?

        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            p.put("version", version)
            let r = try Session.call(try database.open(fallback: ":memory:"), "programme.get", p, locale: output.locale)
            if output.printedJSON(r) { return }
            let currency = r["currency"]
            let name = r["name"]?[(output.locale ?? .fr).rawValue]?.stringValue ?? r["name"]?["fr"]?.stringValue ?? ""
            print("\(r["id"]?.cell ?? "") version \(r["version"]?.cell ?? ""): \(name) — \(r["funder"]?.cell ?? "")")
            func money(_ key: String) -> String? { r[key]?.intValue.map { Format.money(minor: .int($0), currency: currency) } }
            func share(_ key: String) -> String? { r[key]?.intValue.map { BasisPoints.text($0) } }
            let rules: [(String, String?)] = [("cost at most", money("max_total")), ("grant at most", money("max_amount")), ("grant at most", share("max_share_bp").map { "\($0) of the cost" }),
                                              ("all public funds at most", share("max_public_share_bp").map { "\($0) of the cost" }),
                                              ("own or local contribution at least", share("min_local_share_bp").map { "\($0) of the cost" })]
            for case let (label, value?) in rules { print("  \(label) \(value)") }
            print("public: \(r["public_origins"]?.cell ?? "")   local: \(r["local_origins"]?.cell ?? "")   grant: \(r["grant_origin"]?.cell ?? "")")
            print("volunteer time: \(r["volunteer_time"]?.cell ?? "")   material: \(r["material"]?.cell ?? "")")
            print("source: \(r["source"]?.cell ?? ""), read on \(r["read_on"]?.cell ?? "")\(r["builtin"] == true ? " (shipped with the library)" : "")")
            if let note = r["note"]?.stringValue { print("note: \(note)") }
        }
    }

    /// The whole text of `path`, or nil when it cannot be read, is over 1 MB or is not UTF-8.
    static func readText(_ path: String) -> String? {
        guard let f = fopen(absolute(path), "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n > 0 { bytes.append(contentsOf: chunk.prefix(n)) }
            if n < chunk.count || bytes.count > 1_000_000 { break }
        }
        guard ferror(f) == 0, bytes.count <= 1_000_000 else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// `cds programme define FILE`.
    struct Define: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Defines a programme, or a new version of one, from a JSON file of programme.define's params (earlier versions stay).",
            discussion: "Example: cds programme define --db demo.sqlite commune-fund.json   (see docs/METHODS.md, programme.define)")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The JSON file.") var file: String

        func run() throws {
            guard let text = CDSCommand.Programmes.readText(file) else { throw Failure(code: "invalid_params", "cannot read \(file) (a UTF-8 file of at most 1 MB)") }
            guard let json = try? JSON.parse(text), var p = json.objectValue else {
                throw Failure(code: "invalid_params", "\(file) must hold a JSON object of programme.define's params")
            }
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "programme.define", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("programme \(r["id"]?.cell ?? "") version \(r["version"]?.cell ?? ""): \(r["funder"]?.cell ?? ""), read on \(r["read_on"]?.cell ?? "")")
        }
    }
}

extension CDSCommand.Rates {
    /// `cds rate set`.
    struct SetRate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Sets a dated exchange rate: one unit of --from is --rate units of --to, from --on.",
            discussion: "Example: cds rate set --db demo.sqlite --from EUR --to MAD --rate 10.85 --on 2026-01-01")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The currency converted.", valueName: "code")) var from: String
        @Option(help: ArgumentHelp("The currency it converts into.", valueName: "code")) var to: String
        @Option(help: ArgumentHelp("Units of --to for one of --from, up to 6 decimals.", valueName: "decimal")) var rate: String
        @Option(help: ArgumentHelp("The day it applies from.", valueName: "date")) var on: String

        func run() throws {
            var p: JSONObject = ["from": .string(from), "to": .string(to), "rate": .string(rate), "on": .string(on)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "rate.set", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("1 \(r["from"]?.cell ?? "") = \(r["rate"]?.cell ?? "") \(r["to"]?.cell ?? "") from \(r["on"]?.cell ?? "")")
        }
    }

    /// `cds rate list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the CDS's exchange rates.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let r = try Session.call(try database.open(), "rate.list", [:], locale: output.locale)
            if output.printedJSON(r) { return }
            Table.items(r, ["from", "to", "rate", "on"], noun: "rates")
        }
    }
}

extension CDSCommand.Valuations {
    /// `cds valuation set`.
    struct SetValue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Sets the value of a day of volunteer time or a unit of material, from a day.",
            discussion: "Example: cds valuation set --db demo.sqlite --key volunteer_day --kind volunteer_time --amount 150.00 --currency MAD --from 2026-01-01 --note 'SMIG'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: "The rate's key, which funding sources name: volunteer_day, cement_bag…") var key: String
        @Option(help: "What it values.") var kind: InKindKind
        @OptionGroup(title: "The value of one day or one unit") var money: MoneyOptions
        @Option(help: ArgumentHelp("The day it applies from.", valueName: "date")) var from: String
        @Option(help: "Where the figure comes from.") var note: String?

        func run() throws {
            var p: JSONObject = ["key": .string(key), "kind": .string(kind.rawValue), "unit_value": try money.json(), "from": .string(from)]
            p.put("note", note)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "valuation.set", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["key"]?.cell ?? "") (\(r["kind"]?.cell ?? "")): \(Format.money(r["unit_value"])) each, from \(r["from"]?.cell ?? "")")
        }
    }

    /// `cds valuation list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the valuation rates, by key and day.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let r = try Session.call(try database.open(), "valuation.list", [:], locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["key", "kind", "value", "from", "note"], noun: "valuation rates") {
                [$0["key"]?.cell ?? "", $0["kind"]?.cell ?? "", Format.money($0["unit_value"]), $0["from"]?.cell ?? "", $0["note"]?.cell ?? ""]
            }
        }
    }
}

extension CDSCommand.Finance {
    /// `cds finance report`.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Collected, refunded and matched per currency (and converted), campaigns succeeded and failed, plans meeting every rule, by gender and country of the givers.",
            discussion: "Example: cds finance report --db demo.sqlite --as-of 2026-12-31 --reporting-currency MAD")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("as-of"), help: ArgumentHelp("The date (default: today).", valueName: "date")) var asOf: String?
        @Option(help: "A commune, province or region.") var territory: String?
        @Option(name: .customLong("reporting-currency"), help: ArgumentHelp("Convert the totals into this currency with the CDS's rates.", valueName: "code")) var reportingCurrency: String?
        @Flag(help: "List the gifts, campaigns and projects behind each figure.") var provenance = false

        func run() throws {
            var p: JSONObject = [:]
            p.put("as_of", asOf)
            p.put("territory", territory)
            p.put("reporting_currency", reportingCurrency)
            if provenance { p["provenance"] = true }
            let r = try Session.call(try database.open(), "finance.indicators", p, locale: output.locale)
            if output.printedJSON(r) { return }
            let plans = r["plans"]
            print("As of \(r["as_of"]?.cell ?? ""): campaigns \(r["campaigns"]?["succeeded"]?.cell ?? "0") succeeded, \(r["campaigns"]?["failed"]?.cell ?? "0") failed; "
                  + "funding plans meeting every rule \(plans?["meeting_every_rule"]?.cell ?? "0") of \(plans?["checked"]?.cell ?? "0")")
            func money(_ row: JSON, _ key: String) -> String { Format.money(minor: row[key], currency: row["currency"]) }
            func rows(_ list: JSON?, _ first: String? = nil) -> [[String]] {
                (list?.arrayValue ?? []).map { row in (first.map { [$0] } ?? []) + [money(row, "collected"), money(row, "refunded"), money(row, "matched")] }
            }
            Table.print(["collected", "refunded", "matched"], rows(r["per_currency"]))
            if let c = r["converted"] {
                let used = c["rates_used"]?.arrayValue ?? []
                print("converted into \(c["currency"]?.cell ?? ""): collected \(money(c, "collected")), refunded \(money(c, "refunded")), matched \(money(c, "matched"))"
                      + (used.isEmpty ? "" : " with " + used.map { "1 \($0["from"]?.cell ?? "") = \($0["rate"]?.cell ?? "") \($0["to"]?.cell ?? "") (\($0["on"]?.cell ?? ""))" }.joined(separator: ", "))
                      + ((c["unconverted"]?.arrayValue ?? []).isEmpty ? "" : "; no rate for \(c["unconverted"]?.cell ?? "")"))
            }
            for (title, key) in [("gender", "by_gender"), ("country", "by_country_of_residence")] {
                let groups = r[key]?.objectValue ?? JSONObject()
                Table.print([title, "collected", "refunded", "matched"], groups.members.flatMap { g in rows(g.value, g.key) })
            }
        }
    }
}
