import ArgumentParser
import CDSCore

extension InvitationChannel: ExpressibleByArgument {}
extension InvitationStatus: ExpressibleByArgument {}
extension OutreachChannel: ExpressibleByArgument {}
extension MessageStatus: ExpressibleByArgument {}

extension CDSCommand {
    /// `cds invite`: invitations and the circles of who brought whom.
    struct Invite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invite", abstract: "Invitations with a single-use code, and the circles of who brought whom.",
            subcommands: [Create.self, Accept.self, List.self, Circles.self])
    }

    /// `cds outreach`: audiences, the outbox the host delivers, and what the outreach reached.
    struct Outreach: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outreach", abstract: "Whom to contact about a need or a project, the messages of the outbox, and who responded.",
            subcommands: [Audience.self, Send.self, Next.self, Ack.self, List.self, Report.self])
    }
}

extension CDSCommand.Invite {
    /// `cds invite create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Invites a person on behalf of a member or an organization; prints the code.",
            discussion: "Example: cds invite create --db demo.sqlite --by mbr_… --channel email --name 'Aicha' --email aicha@example.org")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The inviting member.", valueName: "id")) var by: String?
        @Option(help: ArgumentHelp("The inviting organization (a commune…).", valueName: "id")) var organization: String?
        @Option(help: "How the invitation reaches her.") var channel: InvitationChannel
        @Option(help: "Her name.") var name: String?
        @Option(help: "Her e-mail.") var email: String?
        @Option(help: "Her phone.") var phone: String?
        @Option(name: .customLong("expires-at"), help: ArgumentHelp("When the code stops being accepted (RFC 3339).", valueName: "instant")) var expiresAt: String?

        func validate() throws {
            if (by == nil) == (organization == nil) { throw ValidationError("give --by or --organization (one of them)") }
        }

        func run() throws {
            var p: JSONObject = ["channel": .string(channel.rawValue)]
            p.put("by", by)
            p.put("organization", organization)
            p.put("name", name)
            p.put("email", email)
            p.put("phone", phone)
            p.put("expires_at", expiresAt)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "invitation.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("invitation \(r["id"]?.cell ?? ""): code \(r["code"]?.cell ?? ""), valid until \(r["expires_at"]?.cell ?? "")")
        }
    }

    /// `cds invite accept CODE`.
    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accepts an invitation: an existing member (--member), or a new one (--name, --gender, --role, --country).",
            discussion: "Example: cds invite accept --db demo.sqlite ABCD-EFGH-JKLM --name 'Aicha Id Ali' --gender f --role diaspora --country FR --consent contact:2026-01")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The invitation's code.") var code: String
        @Option(help: ArgumentHelp("An existing member who accepts.", valueName: "id")) var member: String?
        @Option(help: "The new member's name (default: the invitation's).") var name: String?
        @Option(help: "The new member's gender.") var gender: Gender?
        @Option(name: .customLong("role"), help: "A role of the new member (repeat).") var roles: [Role] = []
        @Option(help: "Her country of residence (ISO 3166-1 alpha-2).") var country: String?
        @Option(help: "Her city of residence.") var city: String?
        @Option(help: "Her territory of origin (HCP code).") var origin: String?
        @Option(name: .customLong("language"), help: "ISO 639 code (repeat).") var languages: [String] = []
        @Option(name: .customLong("consent"), help: ArgumentHelp("A consent given, PURPOSE:VERSION (repeat).", valueName: "purpose:version")) var consents: [String] = []

        func validate() throws {
            if member == nil, gender == nil || roles.isEmpty || country == nil {
                throw ValidationError("give --member, or the new member's --gender, --role and --country")
            }
        }

        func run() throws {
            var p: JSONObject = ["code": .string(code)]
            if let member { p["member"] = .string(member) } else {
                var profile = JSONObject()
                profile.put("name", name)
                profile.put("gender", gender)
                profile["roles"] = .strings(roles.map(\.rawValue))
                profile.put("residence_country", country)
                profile.put("residence_city", city)
                profile.put("origin", origin)
                profile.put("languages", languages)
                let given: [JSON] = consents.map { c in
                    let parts = c.split(separator: ":", maxSplits: 1).map(String.init)
                    return ["purpose": .string(parts.first ?? ""), "version": .string(parts.dropFirst().first ?? "")]
                }
                if !given.isEmpty { profile["consents"] = .array(given) }
                p["profile"] = .object(profile)
            }
            let r = try Session.call(try database.open(), "invitation.accept", p, locale: output.locale)
            if output.printedJSON(r) { return }
            let inviter = r["invitation"]?["by"]?.stringValue ?? r["invitation"]?["organization"]?.stringValue ?? ""
            print("\(r["member"]?["name"]?.cell ?? "") (\(r["member"]?["id"]?.cell ?? "")) " + (r["linked"] == true ? "brought in by \(inviter)" : "keeps her first inviter"))
        }
    }

    /// `cds invite list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists invitations.", discussion: "Example: cds invite list --db demo.sqlite --status pending")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only this member's.", valueName: "id")) var by: String?
        @Option(help: ArgumentHelp("Only this organization's.", valueName: "id")) var organization: String?
        @Option(help: "Only this status.") var status: InvitationStatus?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("by", by)
            p.put("organization", organization)
            p.put("status", status)
            let r = try Session.call(try database.open(), "invitation.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "inviter", "channel", "status", "expires", "member"], noun: "invitations") {
                [$0["id"]?.cell ?? "", ($0["by"]?.stringValue ?? $0["organization"]?.stringValue) ?? "", $0["channel"]?.cell ?? "", $0["status"]?.cell ?? "",
                 $0["expires_at"]?.cell ?? "", $0["member"]?.cell ?? ""]
            }
        }
    }

    /// `cds invite circles`.
    struct Circles: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Members and migrants mobilized per circle and per inviter, as of a date.",
            discussion: "Example: cds invite circles --db demo.sqlite --as-of 2026-12-31 --territory 09.581")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("as-of"), help: ArgumentHelp("The date (default: today).", valueName: "date")) var asOf: String?
        @Option(help: "A commune, province or region.") var territory: String?
        @Flag(help: "List the ids behind each figure.") var provenance = false

        func run() throws {
            var p: JSONObject = [:]
            p.put("as_of", asOf)
            p.put("territory", territory)
            if provenance { p["provenance"] = true }
            let r = try Session.call(try database.open(), "circle.indicators", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("As of \(r["as_of"]?.cell ?? ""): \(r["members"]?.cell ?? "0") members brought in, \(r["migrants"]?.cell ?? "0") migrants mobilized, \(r["roots"]?.cell ?? "0") joined on their own")
            Table.print(["circle", "members", "migrants"], (r["circles"]?.arrayValue ?? []).map { [$0["circle"]?.cell ?? "", $0["members"]?.cell ?? "", $0["migrants"]?.cell ?? ""] })
            Table.print(["inviter", "kind", "members", "migrants"], (r["inviters"]?.arrayValue ?? []).map {
                [$0["inviter"]?.cell ?? "", $0["kind"]?.cell ?? "", $0["members"]?.cell ?? "", $0["migrants"]?.cell ?? ""]
            })
        }
    }
}

/// The need or project an outreach is about.
struct OutreachTarget: ParsableArguments {
    @Option(help: ArgumentHelp("A published need.", valueName: "id")) var need: String?
    @Option(help: ArgumentHelp("A project: all its open needs.", valueName: "id")) var project: String?

    func validate() throws {
        if (need == nil) == (project == nil) { throw ValidationError("give --need or --project (one of them)") }
    }

    func apply(to p: inout JSONObject) {
        p.put("need", need)
        p.put("project", project)
    }
}

extension CDSCommand.Outreach {
    /// `cds outreach audience`.
    struct Audience: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The members worth contacting about a need or a project, with their language and why.",
            discussion: "Example: cds outreach audience --db demo.sqlite --need ned_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var target: OutreachTarget
        @Option(help: "How many at most.") var limit: Int?

        func run() throws {
            var p: JSONObject = [:]
            target.apply(to: &p)
            p.put("limit", limit)
            let r = try Session.call(try database.open(), "outreach.audience", p, locale: output.locale)
            if output.printedJSON(r) { return }
            let rows = (r["members"]?.arrayValue ?? []).map { a in
                [a["member"]?.cell ?? "", Format.percent(a["score"]), a["language"]?.cell ?? "", (a["channels"]?.arrayValue ?? []).map(\.cell).joined(separator: ","), a["reason"]?.cell ?? ""]
            }
            Table.print(["member", "score", "language", "channels", "reason"], rows)
            print("\(rows.count) members")
        }
    }

    /// `cds outreach send`.
    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes a message to each member of the audience, for the host to deliver.",
            discussion: "Example: cds outreach send --db demo.sqlite --need ned_… --param link=https://cds.example.org/n/1")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var target: OutreachTarget
        @Option(help: "The template: need.call or project.call.") var template: String?
        @Option(name: .customLong("param"), help: ArgumentHelp("A template parameter, NAME=VALUE (repeat).", valueName: "name=value")) var params: [String] = []
        @Option(help: "Only this channel.") var channel: OutreachChannel?
        @Option(name: .customLong("member"), help: "Only this member of the audience (repeat).") var members: [String] = []

        func validate() throws {
            if params.contains(where: { !$0.contains("=") }) { throw ValidationError("--param takes NAME=VALUE, e.g. link=https://…") }
        }

        func run() throws {
            var p: JSONObject = [:]
            target.apply(to: &p)
            p.put("template", template)
            var values = JSONObject()
            for kv in params {
                let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
                values[parts.first ?? ""] = .string(parts.dropFirst().first ?? "")
            }
            if !params.isEmpty { p["params"] = .object(values) }
            p.put("channel", channel)
            p.put("members", members)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "outreach.send", p, locale: output.locale)
            if output.printedJSON(r) { return }
            for m in r["queued"]?.arrayValue ?? [] {
                print("queued \(m["id"]?.cell ?? "") to \(m["member"]?.cell ?? "") by \(m["channel"]?.cell ?? "") in \(m["language"]?.cell ?? ""), not before \(m["not_before"]?.cell ?? "")")
            }
            for m in r["digested"]?.arrayValue ?? [] { print("in a digest for \(m["member"]?.cell ?? ""): \(m["digest"]?.cell ?? "")") }
            for s in r["skipped"]?.arrayValue ?? [] { print("skipped \(s["member"]?.cell ?? ""): \(s["reason"]?.cell ?? "")") }
        }
    }

    /// `cds outreach next`.
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Takes the messages due now, for the host to deliver (then: cds outreach ack).",
            discussion: "Example: cds outreach next --db demo.sqlite --limit 10 --json")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "How many at most.") var limit: Int?
        @Option(help: "Only this channel.") var channel: OutreachChannel?

        func run() throws {
            var p: JSONObject = [:]
            p.put("limit", limit)
            p.put("channel", channel)
            let r = try Session.call(try database.open(), "outbox.next", p, locale: output.locale)
            if output.printedJSON(r) { return }
            for m in r["messages"]?.arrayValue ?? [] {
                print("\(m["id"]?.cell ?? "") → \(m["address"]?.cell ?? "") (\(m["channel"]?.cell ?? ""), \(m["language"]?.cell ?? "")): \(m["subject"]?.cell ?? "")")
            }
        }
    }

    /// `cds outreach ack ID`.
    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledges a message taken: delivered, or failed with a reason.",
            discussion: "Example: cds outreach ack --db demo.sqlite msg_… --failed --reason 'mailbox full'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The message's id.") var id: String
        @Flag(help: "It could not be delivered (default: delivered).") var failed = false
        @Option(help: "Why it failed.") var reason: String?

        func run() throws {
            var p: JSONObject = ["id": .string(id), "status": .string(failed ? "failed" : "delivered")]
            p.put("reason", reason)
            let r = try Session.call(try database.open(), "outbox.ack", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("message \(r["id"]?.cell ?? ""): \(r["status"]?.cell ?? "")")
        }
    }

    /// `cds outreach list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the messages of the outbox.", discussion: "Example: cds outreach list --db demo.sqlite --status pending")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only to this member.", valueName: "id")) var member: String?
        @Option(help: ArgumentHelp("Only about this need.", valueName: "id")) var need: String?
        @Option(help: "Only this status.") var status: MessageStatus?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("member", member)
            p.put("need", need)
            p.put("status", status)
            let r = try Session.call(try database.open(), "outbox.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.items(r, ["id", "member", "channel", "language", "template", "status", "not_before"], noun: "messages")
        }
    }

    /// `cds outreach report`.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "People reached and those who responded within 30 days, by circle, channel and country.",
            discussion: "Example: cds outreach report --db demo.sqlite --as-of 2026-12-31")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("as-of"), help: ArgumentHelp("The date (default: today).", valueName: "date")) var asOf: String?
        @Option(help: "A commune, province or region.") var territory: String?

        func run() throws {
            var p: JSONObject = [:]
            p.put("as_of", asOf)
            p.put("territory", territory)
            let r = try Session.call(try database.open(), "outreach.indicators", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("As of \(r["as_of"]?.cell ?? ""): \(r["reached"]?.cell ?? "0") reached, \(r["responded"]?.cell ?? "0") responded")
            for (title, key) in [("circle", "by_circle"), ("channel", "by_channel"), ("country", "by_country")] {
                Table.print([title, "reached", "responded"], (r[key]?.arrayValue ?? []).map { [$0["key"]?.cell ?? "", $0["reached"]?.cell ?? "", $0["responded"]?.cell ?? ""] })
            }
        }
    }
}
