import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds match`: the matcher's answers, with their reasons, and the allocation.
    struct Matching: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "match", abstract: "Matches offers to open needs, with their reasons, and allocates them.",
            subcommands: [ForNeed.self, ForOffer.self, ForMember.self, All.self, Allocate.self])

        /// The label of an explanation line in the locale asked (French by default).
        static func label(_ line: JSON, _ locale: Locale?) -> String {
            line["labels"]?[(locale ?? .fr).rawValue]?.cell ?? line["reason"]?.cell ?? ""
        }

        /// Prints matches with their reasons: the components that count, then the constraints met.
        static func printMatches(_ matches: [JSON], locale: Locale?, other: String) {
            for (i, m) in matches.enumerated() {
                print("\(i + 1). \(m[other]?.cell ?? "")  \(offerer(m))  score \(Format.percent(m["score"]))")
                for c in m["components"]?.arrayValue ?? [] {
                    print("     \(label(c, locale))  (\(c["component"]?.cell ?? "") \(Format.percent(c["value"])))")
                }
                let constraints = (m["constraints"]?.arrayValue ?? []).map { label($0, locale) }
                if !constraints.isEmpty { print("     ✓ " + constraints.joined(separator: " · ")) }
            }
        }

        /// Calls a `match.need|offer|member` method and prints its matches, or `none` when there are none.
        static func best(_ method: String, _ params: JSONObject, k: Int, _ database: DatabaseOptions, _ output: OutputOptions,
                         other: String, none: String) throws {
            var p = params
            p.put("k", k)
            let r = try Session.call(try database.open(), method, p, locale: output.locale)
            if output.printedJSON(r) { return }
            let matches = r["matches"]?.arrayValue ?? []
            printMatches(matches, locale: output.locale, other: other)
            if matches.isEmpty { print(none) }
        }

        /// Who offers: the member, else the organization.
        static func offerer(_ m: JSON) -> String {
            m["member"].flatMap { $0.isNull ? nil : $0.cell } ?? m["organization"]?.cell ?? ""
        }
    }
}

extension CDSCommand.Matching {
    /// `cds match need ID`.
    struct ForNeed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "need", abstract: "The best offers for a need, with their reasons.",
            discussion: "Example: cds match need --db demo.sqlite ned_… --k 5 --locale en")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The need's id.") var need: String
        @Option(help: "How many.") var k: Int = 5

        func run() throws {
            try CDSCommand.Matching.best("match.need", ["need": .string(need)], k: k, database, output, other: "offer",
                                        none: "no match: no open offer meets the hard constraints")
        }
    }

    /// `cds match offer ID`.
    struct ForOffer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "offer", abstract: "The best open needs for an offer, with their reasons.",
            discussion: "Example: cds match offer --db demo.sqlite ofr_… --k 5")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The offer's id.") var offer: String
        @Option(help: "How many.") var k: Int = 5

        func run() throws {
            try CDSCommand.Matching.best("match.offer", ["offer": .string(offer)], k: k, database, output, other: "need",
                                        none: "no match: no open need fits this offer's hard constraints")
        }
    }

    /// `cds match member ID`.
    struct ForMember: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member", abstract: "The best open needs for a member's offers, with their reasons.",
            discussion: "Example: cds match member --db demo.sqlite mbr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The member's id.") var member: String
        @Option(help: "How many.") var k: Int = 5

        func run() throws {
            try CDSCommand.Matching.best("match.member", ["member": .string(member)], k: k, database, output, other: "need",
                                        none: "no match: no open need fits this member's offers (active, with capacity left and consent to be contacted)")
        }
    }

    /// `cds match all`: `match.all`, as a table.
    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The best offers for every open need (of one project, or all).",
            discussion: "Example: cds match all --db demo.sqlite --k 3")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "How many per need (default: the method's).") var k: Int?
        @Option(help: ArgumentHelp("Only this project's needs.", valueName: "id")) var project: String?

        func run() throws {
            let db = try database.open()
            var p: JSONObject = [:]
            p.put("k", k)
            p.put("project", project)
            let r = try StandardError.status("matching every open need…") { try Session.call(db, "match.all", p, locale: output.locale) }
            if output.printedJSON(r) { return }
            let needs = r["needs"]?.arrayValue ?? []
            var rows: [[String]] = []
            for n in needs {
                let hits = n["matches"]?.arrayValue ?? []
                for (rank, h) in hits.enumerated() {
                    rows.append([rank == 0 ? n["need"]?.cell ?? "" : "", rank == 0 ? h["project"]?.cell ?? "" : "", String(rank + 1),
                                 h["offer"]?.cell ?? "", CDSCommand.Matching.offerer(h), Format.percent(h["score"])])
                }
                if hits.isEmpty { rows.append([n["need"]?.cell ?? "", "", "—", "no offer meets the hard constraints", "", ""]) }
            }
            Table.print(["need", "project", "rank", "offer", "offerer", "score"], rows)
            print("\(needs.count) open needs")
        }
    }

    /// `cds match allocate`: `match.allocate`, as a table.
    struct Allocate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An optimal assignment of offers to open needs (maximum total score within capacities).",
            discussion: "Example: cds match allocate --db demo.sqlite --max-per-member 1")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Candidate offers per need (default: the method's).") var candidates: Int?
        @Option(help: "Offers one need takes.") var needSlots: Int?
        @Option(help: "Needs one offer serves.") var offerSlots: Int?
        @Option(help: "Fairness: the most needs one member's offers serve.") var maxPerMember: Int?
        @Option(help: ArgumentHelp("Only this project's needs.", valueName: "id")) var project: String?

        func run() throws {
            let db = try database.open()
            var p: JSONObject = [:]
            p.put("candidates", candidates)
            p.put("need_slots", needSlots)
            p.put("offer_slots", offerSlots)
            p.put("max_per_member", maxPerMember)
            p.put("project", project)
            let r = try StandardError.status("allocating offers to open needs…") { try Session.call(db, "match.allocate", p, locale: output.locale) }
            if output.printedJSON(r) { return }
            let pairs = r["pairs"]?.arrayValue ?? []
            Table.print(["need", "project", "offer", "offerer", "score"], pairs.map {
                [$0["need"]?.cell ?? "", $0["project"]?.cell ?? "", $0["offer"]?.cell ?? "", CDSCommand.Matching.offerer($0), Format.percent($0["score"])]
            })
            print("\(pairs.count) of \(r["needs"]?.cell ?? "?") open needs allocated over \(r["edges"]?.cell ?? "?") candidate pairs; total score \(r["objective"]?.cell ?? "?")")
        }
    }
}
