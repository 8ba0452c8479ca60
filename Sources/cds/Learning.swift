import ArgumentParser
import CDSCore

extension SpaceKind: ExpressibleByArgument {}
extension SpaceAccess: ExpressibleByArgument {}
extension SpaceRole: ExpressibleByArgument {}
extension PostState: ExpressibleByArgument {}
extension LearningResourceKind: ExpressibleByArgument {}
extension ResourceUse: ExpressibleByArgument {}
extension LearningEventKind: ExpressibleByArgument {}
extension AttendanceStatus: ExpressibleByArgument {}
extension AssignmentStatus: ExpressibleByArgument {}
extension CompetenceKind: ExpressibleByArgument {}

extension CDSCommand {
    /// `cds space`: learning spaces and their members.
    struct Spaces: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "space", abstract: "Learning spaces, thematic or territorial, and their members (facilitators, participants).",
            subcommands: [Create.self, List.self, Show.self, Join.self, AddMember.self])
    }

    /// `cds thread`: the discussions of a space.
    struct Threads: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "thread", abstract: "Discussion threads of a learning space.", subcommands: [Create.self, List.self, Show.self])
    }

    /// `cds post`: posts, their moderation and flags.
    struct Posts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post", abstract: "Posts in a thread: write, moderate (facilitators), flag.", subcommands: [Create.self, Moderate.self, Flag.self])
    }

    /// `cds resource`: the guides, templates, FAQs, recordings and links of spaces.
    struct LearningResources: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resource", abstract: "Resources of learning spaces (guides, templates, FAQs, recordings, links) and who used them.",
            subcommands: [Create.self, List.self, Use.self])
    }

    /// `cds learning-event`: webinars, workshops, field visits, their sessions and registrations.
    struct LearningEvents: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "learning-event", abstract: "Webinars, workshops and field visits: their sessions and who registered.",
            subcommands: [Create.self, AddSession.self, List.self, Show.self, Register.self])
    }

    /// `cds attendance`: who attended a session.
    struct Attendance: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attendance", abstract: "Attendance at the sessions of learning events: present, absent or excused.",
            subcommands: [Record.self, List.self])
    }

    /// `cds module`: training modules and their versioned criteria.
    struct Modules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "module", abstract: "Training modules tied to a competence, with criteria published version after version.",
            subcommands: [Create.self, Publish.self, List.self, Show.self])
    }

    /// `cds enrollment`: learners in modules, their assignments and completion.
    struct Enrollments: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enrollment", abstract: "Learners enrolled in modules: assignments, reviews, progress and completion.",
            subcommands: [Create.self, List.self, Show.self, Submit.self, Review.self, Complete.self])
    }

    /// `cds competence`: revocation and credentials of attested competences.
    struct Competences: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "competence", abstract: "Attested competences: revoke one, or export one as an Open Badges 3.0 credential.",
            subcommands: [Revoke.self, Credential.self])
    }

    /// `cds learning`: the learning indicators.
    struct Learning: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "learning", abstract: "The learning indicators: participants, ADCs trained, resources by language, active spaces, competent ADCs.",
            subcommands: [Indicators.self])
    }
}

// MARK: Spaces

extension CDSCommand.Spaces {
    /// `cds space create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates a learning space: thematic (a theme) or territorial (a commune, a province).",
            discussion: "Example: cds space create --db demo.sqlite --kind thematic --name 'Ingénierie de projet' --theme 'project engineering' --language fr --language ar")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: "Thematic or territorial.") var kind: SpaceKind
        @Option(help: "Its name.") var name: String
        @Option(help: "What it is for.") var description: String?
        @Option(help: "For a thematic space: its theme (water, argan value chain…).") var theme: String?
        @Option(help: "For a territorial space: the commune, province or region (HCP code).") var territory: String?
        @Option(name: .customLong("language"), help: "A language it works in, ISO 639 (repeat).") var languages: [String] = []
        @Option(help: "Open (default) or by invitation.") var access: SpaceAccess?

        func run() throws {
            var p: JSONObject = ["kind": .string(kind.rawValue), "name": .string(name), "languages": .strings(languages)]
            p.put("description", description)
            p.put("theme", theme)
            p.put("territory", territory)
            p.put("access", access)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "space.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("space \(r["id"]?.cell ?? ""): \(r["name"]?.cell ?? ""), \(r["kind"]?.cell ?? ""), \(r["access"]?.cell ?? ""), in \(r["languages"]?.cell ?? "")")
        }
    }

    /// `cds space list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists learning spaces.", discussion: "Example: cds space list --db demo.sqlite --kind territorial --territory 09.581")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: "Only this kind.") var kind: SpaceKind?
        @Option(help: "Only spaces of this territory or below it.") var territory: String?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("kind", kind)
            p.put("territory", territory)
            let r = try Session.call(try database.open(), "space.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "kind", "name", "theme/territory", "languages", "access"], noun: "spaces") {
                [$0["id"]?.cell ?? "", $0["kind"]?.cell ?? "", $0["name"]?.cell ?? "", ($0["theme"]?.stringValue ?? $0["territory"]?.stringValue) ?? "",
                 $0["languages"]?.cell ?? "", $0["access"]?.cell ?? ""]
            }
        }
    }

    /// `cds space show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a learning space and its members.", discussion: "Example: cds space show --db demo.sqlite spc_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The space's id.") var id: String

        func run() throws {
            let r = try Session.call(try database.open(), "space.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(r) { return }
            var fields = r.objectValue ?? JSONObject()
            fields["members"] = nil
            Table.fields(.object(fields))
            Table.print(["member", "role"], (r["members"]?.arrayValue ?? []).map { [$0["member"]?.cell ?? "", $0["role"]?.cell ?? ""] })
        }
    }

    /// `cds space join SPACE --member ID`.
    struct Join: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A member joins an open learning space as a participant.",
                                                        discussion: "Example: cds space join --db demo.sqlite spc_… --member mbr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The space's id.") var space: String
        @Option(help: ArgumentHelp("The member who joins.", valueName: "id")) var member: String

        func run() throws {
            var p: JSONObject = ["space": .string(space), "member": .string(member)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "space.join", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["member"]?.cell ?? "") joined \(r["space"]?.cell ?? "") as \(r["role"]?.cell ?? "")")
        }
    }

    /// `cds space add-member SPACE --member ID --role ROLE`.
    struct AddMember: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-member", abstract: "A facilitator of the space (or staff) adds a member as facilitator or participant.",
            discussion: "Example: cds space add-member --db demo.sqlite spc_… --member mbr_… --role facilitator")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The space's id.") var space: String
        @Option(help: ArgumentHelp("The member added.", valueName: "id")) var member: String
        @Option(help: "Facilitator or participant.") var role: SpaceRole

        func run() throws {
            var p: JSONObject = ["space": .string(space), "member": .string(member), "role": .string(role.rawValue)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "space.add_member", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["member"]?.cell ?? "") is \(r["role"]?.cell ?? "") of \(r["space"]?.cell ?? "")")
        }
    }
}

// MARK: Threads and posts

extension CDSCommand.Threads {
    /// `cds thread create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Opens a thread with its first post (held for a facilitator when the author is new to the space).",
            discussion: "Example: cds thread create --db demo.sqlite --space spc_… --author mbr_… --title 'Budget prévisionnel' --body 'Comment chiffrer…'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The space.", valueName: "id")) var space: String
        @Option(help: "The thread's title.") var title: String
        @Option(help: ArgumentHelp("Who writes (a member of the space).", valueName: "id")) var author: String
        @Option(help: "The first post.") var body: String

        func run() throws {
            var p: JSONObject = ["space": .string(space), "title": .string(title), "author": .string(author), "body": .string(body)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "thread.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("thread \(r["id"]?.cell ?? ""): first post \(r["post"]?["id"]?.cell ?? "") \(r["post"]?["state"]?.cell ?? "")")
        }
    }

    /// `cds thread list --space ID`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the threads of a space with their visible posts.",
                                                        discussion: "Example: cds thread list --db demo.sqlite --space spc_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("The space.", valueName: "id")) var space: String

        func run() throws {
            var p: JSONObject = ["space": .string(space)]
            page.apply(to: &p)
            let r = try Session.call(try database.open(), "thread.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.items(r, ["id", "title", "author", "visible_posts", "created_at"], noun: "threads")
        }
    }

    /// `cds thread show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a thread and the posts the caller sees (every state for a facilitator).",
                                                        discussion: "Example: cds thread show --db demo.sqlite thr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The thread's id.") var id: String

        func run() throws {
            let r = try Session.call(try database.open(), "thread.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(r) { return }
            let held = r["held_posts"]?.intValue.map { ", \($0) held" } ?? ""
            print("\(r["title"]?.cell ?? "") (\(r["id"]?.cell ?? ""), by \(r["author"]?.cell ?? "")): \(r["visible_posts"]?.cell ?? "0") visible posts\(held)")
            Table.print(["post", "parent", "author", "state", "flags", "body"], (r["posts"]?.arrayValue ?? []).map {
                [$0["id"]?.cell ?? "", $0["parent"]?.cell ?? "", $0["author"]?.cell ?? "", $0["state"]?.cell ?? "", $0["flags"]?.cell ?? "", $0["body"]?.cell ?? ""]
            })
        }
    }
}

extension CDSCommand.Posts {
    /// `cds post create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes a post in a thread, or a reply to a visible post (a new participant's first post is held for a facilitator).",
            discussion: "Example: cds post create --db demo.sqlite --thread thr_… --author mbr_… --body 'Voici le modèle…' --parent pst_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The thread.", valueName: "id")) var thread: String
        @Option(help: ArgumentHelp("The post it replies to.", valueName: "id")) var parent: String?
        @Option(help: ArgumentHelp("Who writes (a member of the space).", valueName: "id")) var author: String
        @Option(help: "The text.") var body: String

        func run() throws {
            var p: JSONObject = ["thread": .string(thread), "author": .string(author), "body": .string(body)]
            p.put("parent", parent)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "post.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("post \(r["id"]?.cell ?? ""): \(r["state"]?.cell ?? "")")
        }
    }

    /// `cds post moderate ID --state STATE`.
    struct Moderate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A facilitator lets a held post through (visible), or hides or removes a post, with why.",
            discussion: "Example: cds post moderate --db demo.sqlite pst_… --state visible --actor mbr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The post's id.") var id: String
        @Option(help: "visible, hidden or removed.") var state: PostState
        @Option(help: "Why (required to hide or remove).") var reason: String?

        func run() throws {
            var p: JSONObject = ["id": .string(id), "state": .string(state.rawValue)]
            p.put("reason", reason)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "post.moderate", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("post \(r["id"]?.cell ?? ""): \(r["state"]?.cell ?? "")" + (r["reason"]?.isNull == false ? " (\(r["reason"]?.cell ?? ""))" : ""))
        }
    }

    /// `cds post flag ID --member ID --reason TEXT`.
    struct Flag: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A member of the space flags a visible post for its facilitators.",
                                                        discussion: "Example: cds post flag --db demo.sqlite pst_… --member mbr_… --reason 'hors sujet'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The post's id.") var id: String
        @Option(help: ArgumentHelp("Who flags it.", valueName: "id")) var member: String
        @Option(help: "Why.") var reason: String

        func run() throws {
            var p: JSONObject = ["id": .string(id), "member": .string(member), "reason": .string(reason)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "post.flag", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("post \(r["id"]?.cell ?? ""): \(r["flags"]?.cell ?? "") flags")
        }
    }
}

// MARK: Resources

extension CDSCommand.LearningResources {
    /// `cds resource create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adds a guide, template, FAQ, recording or link to a space, in one language (a translation names its original).",
            discussion: "Example: cds resource create --db demo.sqlite --space spc_… --kind guide --title 'Guide du montage de projet' --language fr --sector EAU --tag budget")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The space.", valueName: "id")) var space: String
        @Option(help: "What kind of resource.") var kind: LearningResourceKind
        @Option(help: "Its title.") var title: String
        @Option(help: "What it holds.") var description: String?
        @Option(help: "Where it is (required for a recording or a link).") var url: String?
        @Option(help: "Its language (ISO 639).") var language: String
        @Option(help: ArgumentHelp("The resource it translates.", valueName: "id")) var original: String?
        @Option(help: "Its PAC sector (reference.list dataset pac_sectors).") var sector: String?
        @Option(name: .customLong("tag"), help: "A free tag (repeat).") var tags: [String] = []

        func run() throws {
            var p: JSONObject = ["space": .string(space), "kind": .string(kind.rawValue), "title": .string(title), "language": .string(language)]
            p.put("description", description)
            p.put("url", url)
            p.put("original", original)
            p.put("sector", sector)
            p.put("tags", tags)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "resource.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("resource \(r["id"]?.cell ?? ""): \(r["kind"]?.cell ?? "") in \(r["language"]?.cell ?? "")")
        }
    }

    /// `cds resource list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists resources.", discussion: "Example: cds resource list --db demo.sqlite --space spc_… --language ar")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only this space's.", valueName: "id")) var space: String?
        @Option(help: "Only this kind.") var kind: LearningResourceKind?
        @Option(help: "Only in this language.") var language: String?
        @Option(help: "Only of this sector.") var sector: String?
        @Option(help: "Only with this tag.") var tag: String?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("space", space)
            p.put("kind", kind)
            p.put("language", language)
            p.put("sector", sector)
            p.put("tag", tag)
            let r = try Session.call(try database.open(), "resource.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.items(r, ["id", "kind", "language", "title", "original", "sector", "tags"], noun: "resources")
        }
    }

    /// `cds resource use ID --member ID --action viewed|downloaded`.
    struct Use: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Records that a member viewed or downloaded a resource.",
                                                        discussion: "Example: cds resource use --db demo.sqlite res_… --member mbr_… --action downloaded")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The resource's id.") var id: String
        @Option(help: ArgumentHelp("Who used it.", valueName: "id")) var member: String
        @Option(help: "Viewed or downloaded.") var action: ResourceUse

        func run() throws {
            var p: JSONObject = ["id": .string(id), "member": .string(member), "action": .string(action.rawValue)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "resource.use", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["member"]?.cell ?? "") \(r["action"]?.cell ?? "") \(r["resource"]?.cell ?? "") at \(r["at"]?.cell ?? "")")
        }
    }
}

// MARK: Learning events and attendance

/// A session as typed: `DAY=WHERE`, WHERE a link when it holds `://`, a place otherwise.
struct SessionSpec {
    /// The day, as typed (the library checks it).
    let on: String
    /// The place, when WHERE is not a link.
    let place: String?
    /// The link, when WHERE holds `://`.
    let link: String?

    /// Parses `DAY=WHERE`; nil when there is no `=` or either side is empty.
    init?(_ text: String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let day = parts.first, let whereText = parts.last, !day.isEmpty, !whereText.isEmpty else { return nil }
        on = day
        if whereText.contains("://") { place = nil; link = whereText } else { place = whereText; link = nil }
    }

    /// `{"on", "place" | "link"}`, as `learning_event.create` takes a session.
    var json: JSON {
        var o: JSONObject = ["on": .string(on)]
        o.put("place", place)
        o.put("link", link)
        return .object(o)
    }
}

extension CDSCommand.LearningEvents {
    /// `cds learning-event create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates a webinar, workshop or field visit with its sessions.",
            discussion: "Example: cds learning-event create --db demo.sqlite --kind webinar --title 'Monter un projet' --session 2026-02-10=https://visio.example.org/m1 --session 2026-02-17=https://visio.example.org/m1")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: "Webinar, workshop or field visit.") var kind: LearningEventKind
        @Option(help: "Its title.") var title: String
        @Option(help: ArgumentHelp("The learning space it belongs to.", valueName: "id")) var space: String?
        @Option(name: .customLong("session"), help: ArgumentHelp("A session, DAY=WHERE: a link (with ://) or a place (repeat).", valueName: "day=where"))
        var sessions: [String] = []

        func validate() throws {
            if sessions.contains(where: { SessionSpec($0) == nil }) {
                throw ValidationError("--session takes DAY=WHERE, e.g. 2026-02-10=https://visio.example.org/1 or 2026-02-14=Tafraout")
            }
        }

        func run() throws {
            var p: JSONObject = ["kind": .string(kind.rawValue), "title": .string(title)]
            p.put("space", space)
            if !sessions.isEmpty { p["sessions"] = .array(sessions.compactMap { SessionSpec($0)?.json }) }
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "learning_event.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("learning event \(r["id"]?.cell ?? ""): \(r["kind"]?.cell ?? ""), \(r["sessions"]?.arrayValue?.count ?? 0) sessions")
            Show.sessions(r)
        }
    }

    /// `cds learning-event add-session EVENT --session DAY=WHERE`.
    struct AddSession: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-session", abstract: "Adds a session to a learning event.",
            discussion: "Example: cds learning-event add-session --db demo.sqlite lev_… --session 2026-02-24=https://visio.example.org/m1")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The learning event's id.") var event: String
        @Option(help: ArgumentHelp("The session, DAY=WHERE: a link (with ://) or a place.", valueName: "day=where")) var session: String

        func validate() throws {
            if SessionSpec(session) == nil { throw ValidationError("--session takes DAY=WHERE, e.g. 2026-02-24=https://visio.example.org/1") }
        }

        func run() throws {
            var p = SessionSpec(session)?.json.objectValue ?? JSONObject()
            p["event"] = .string(event)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "learning_event.add_session", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("session \(r["session"]?["id"]?.cell ?? "") on \(r["session"]?["on"]?.cell ?? ""); the event has \(r["event"]?["sessions"]?.arrayValue?.count ?? 0) sessions")
        }
    }

    /// `cds learning-event list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists learning events.", discussion: "Example: cds learning-event list --db demo.sqlite --kind webinar")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only this space's.", valueName: "id")) var space: String?
        @Option(help: "Only this kind.") var kind: LearningEventKind?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("space", space)
            p.put("kind", kind)
            let r = try Session.call(try database.open(), "learning_event.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "kind", "title", "space", "sessions", "first", "last"], noun: "learning events") {
                let days = ($0["sessions"]?.arrayValue ?? []).map { $0["on"]?.cell ?? "" }
                return [$0["id"]?.cell ?? "", $0["kind"]?.cell ?? "", $0["title"]?.cell ?? "", $0["space"]?.cell ?? "", String(days.count),
                        days.first ?? "", days.last ?? ""]
            }
        }
    }

    /// `cds learning-event show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a learning event and its sessions.", discussion: "Example: cds learning-event show --db demo.sqlite lev_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The learning event's id.") var id: String

        /// The sessions of an event as a table.
        static func sessions(_ event: JSON) {
            Table.print(["session", "on", "place", "link"], (event["sessions"]?.arrayValue ?? []).map {
                [$0["id"]?.cell ?? "", $0["on"]?.cell ?? "", $0["place"]?.cell ?? "", $0["link"]?.cell ?? ""]
            })
        }

        func run() throws {
            let r = try Session.call(try database.open(), "learning_event.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["title"]?.cell ?? "") (\(r["id"]?.cell ?? ""), \(r["kind"]?.cell ?? ""))" + (r["space"]?.isNull == false ? " in \(r["space"]?.cell ?? "")" : ""))
            Self.sessions(r)
        }
    }

    /// `cds learning-event register EVENT --member ID`.
    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Registers a member for a learning event.",
                                                        discussion: "Example: cds learning-event register --db demo.sqlite lev_… --member mbr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The learning event's id.") var event: String
        @Option(help: ArgumentHelp("The member who registers.", valueName: "id")) var member: String

        func run() throws {
            var p: JSONObject = ["event": .string(event), "member": .string(member)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "learning_event.register", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["member"]?.cell ?? "") registered for \(r["event"]?.cell ?? "")")
        }
    }
}

extension CDSCommand.Attendance {
    /// `cds attendance record SESSION --member ID --status STATUS`.
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Records a registered member's attendance at a session that has taken place.",
            discussion: "Example: cds attendance record --db demo.sqlite ses_… --member mbr_… --status present")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The session's id.") var session: String
        @Option(help: ArgumentHelp("The member.", valueName: "id")) var member: String
        @Option(help: "present, absent or excused.") var status: AttendanceStatus

        func run() throws {
            var p: JSONObject = ["session": .string(session), "member": .string(member), "status": .string(status.rawValue)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "attendance.record", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["member"]?.cell ?? ""): \(r["status"]?.cell ?? "") at the session of \(r["on"]?.cell ?? "")")
        }
    }

    /// `cds attendance list SESSION`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The attendance of a session: every registered member (not_recorded when none is).",
                                                        discussion: "Example: cds attendance list --db demo.sqlite ses_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The session's id.") var session: String

        func run() throws {
            let r = try Session.call(try database.open(), "attendance.list", ["session": .string(session)], locale: output.locale)
            if output.printedJSON(r) { return }
            Table.items(r, ["member", "status"], noun: "registered")
        }
    }
}

// MARK: Modules and enrollments

/// A module's criteria as options: sessions to attend, how many may be missed, resources to use, an assignment.
struct CriteriaOptions: ParsableArguments {
    @Option(name: .customLong("session"), help: ArgumentHelp("A session to attend (repeat).", valueName: "id")) var sessions: [String] = []
    @Option(name: .customLong("max-missed"), help: "How many of those sessions may be missed, absent or excused (default 0).") var maxMissed: Int?
    @Option(name: .customLong("resource"), help: ArgumentHelp("A resource to use, viewed or downloaded (repeat).", valueName: "id")) var resources: [String] = []
    @Option(help: "The brief of an assignment a facilitator reviews.") var assignment: String?

    /// `{"sessions", "max_missed", "resources", "assignment"}` with what was given.
    var json: JSON {
        var o = JSONObject()
        o.put("sessions", sessions)
        o.put("max_missed", maxMissed)
        o.put("resources", resources)
        o.put("assignment", assignment)
        return .object(o)
    }

    /// One line: what a learner must do.
    static func summary(_ c: JSON?) -> String {
        let sessions = c?["sessions"]?.arrayValue?.count ?? 0, resources = c?["resources"]?.arrayValue?.count ?? 0
        return "\(sessions) sessions (at most \(c?["max_missed"]?.cell ?? "0") missed), \(resources) resources, "
            + (c?["assignment"]?.isNull == false ? "an assignment" : "no assignment")
    }
}

extension CDSCommand.Modules {
    /// `cds module create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates a training module tied to a competence, with version 1 of its criteria.",
            discussion: "Example: cds module create --db demo.sqlite --title 'Ingénierie de projet' --competence project_engineering --session ses_… --session ses_… --max-missed 1 --assignment 'La fiche d'un projet de la commune'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var criteria: CriteriaOptions
        @Option(help: "Its title.") var title: String
        @Option(help: "The competence its completion attests.") var competence: CompetenceKind
        @Option(help: ArgumentHelp("The learning space it belongs to.", valueName: "id")) var space: String?

        func run() throws {
            var p: JSONObject = ["title": .string(title), "competence": .string(competence.rawValue), "criteria": criteria.json]
            p.put("space", space)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "module.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("module \(r["id"]?.cell ?? ""): \(r["competence"]?.cell ?? ""), criteria v\(r["version"]?.cell ?? ""): \(CriteriaOptions.summary(r["criteria"]))")
        }
    }

    /// `cds module publish ID`.
    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publishes a new version of a module's criteria: new enrollments are held to it, earlier ones keep theirs.",
            discussion: "Example: cds module publish --db demo.sqlite mod_… --session ses_… --session ses_… --max-missed 0 --assignment '…'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var criteria: CriteriaOptions
        @Argument(help: "The module's id.") var id: String

        func run() throws {
            var p: JSONObject = ["id": .string(id), "criteria": criteria.json]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "module.publish", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("module \(r["id"]?.cell ?? ""): criteria v\(r["version"]?.cell ?? "") in force: \(CriteriaOptions.summary(r["criteria"]))")
        }
    }

    /// `cds module list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists training modules.", discussion: "Example: cds module list --db demo.sqlite --competence communication")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only this space's.", valueName: "id")) var space: String?
        @Option(help: "Only those attesting this competence.") var competence: CompetenceKind?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("space", space)
            p.put("competence", competence)
            let r = try Session.call(try database.open(), "module.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "competence", "title", "version", "criteria"], noun: "modules") {
                [$0["id"]?.cell ?? "", $0["competence"]?.cell ?? "", $0["title"]?.cell ?? "", $0["version"]?.cell ?? "", CriteriaOptions.summary($0["criteria"])]
            }
        }
    }

    /// `cds module show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a module with every version of its criteria.", discussion: "Example: cds module show --db demo.sqlite mod_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The module's id.") var id: String

        func run() throws {
            let r = try Session.call(try database.open(), "module.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(r) { return }
            print("\(r["title"]?.cell ?? "") (\(r["id"]?.cell ?? "")): attests \(r["competence"]?.cell ?? "")")
            Table.print(["version", "published_at", "sessions", "max_missed", "resources", "assignment"], (r["versions"]?.arrayValue ?? []).map {
                [$0["version"]?.cell ?? "", $0["published_at"]?.cell ?? "", $0["criteria"]?["sessions"]?.cell ?? "", $0["criteria"]?["max_missed"]?.cell ?? "",
                 $0["criteria"]?["resources"]?.cell ?? "", $0["criteria"]?["assignment"]?.cell ?? ""]
            })
        }
    }
}

extension CDSCommand.Enrollments {
    /// `cds enrollment create --module ID --member ID`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enrolls a member in a module, held to the criteria version in force that day.",
                                                        discussion: "Example: cds enrollment create --db demo.sqlite --module mod_… --member mbr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The module.", valueName: "id")) var module: String
        @Option(help: ArgumentHelp("The learner.", valueName: "id")) var member: String

        func run() throws {
            var p: JSONObject = ["module": .string(module), "member": .string(member)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "enrollment.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("enrollment \(r["id"]?.cell ?? ""): \(r["member"]?.cell ?? "") in \(r["module"]?.cell ?? ""), criteria v\(r["criteria_version"]?.cell ?? "")")
        }
    }

    /// `cds enrollment list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists enrollments.", discussion: "Example: cds enrollment list --db demo.sqlite --module mod_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: ArgumentHelp("Only this module's.", valueName: "id")) var module: String?
        @Option(help: ArgumentHelp("Only this learner's.", valueName: "id")) var member: String?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("module", module)
            p.put("member", member)
            let r = try Session.call(try database.open(), "enrollment.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "module", "member", "version", "assignment", "completed_on"], noun: "enrollments") {
                [$0["id"]?.cell ?? "", $0["module"]?.cell ?? "", $0["member"]?.cell ?? "", $0["criteria_version"]?.cell ?? "",
                 $0["assignment"]?["status"]?.cell ?? "", $0["completed_on"]?.cell ?? ""]
            }
        }
    }

    /// `cds enrollment show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows an enrollment: its criteria version and what is still missing.",
                                                        discussion: "Example: cds enrollment show --db demo.sqlite enr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The enrollment's id.") var id: String

        func run() throws {
            let r = try Session.call(try database.open(), "enrollment.get", ["id": .string(id)], locale: output.locale)
            if output.printedJSON(r) { return }
            let g = r["progress"]
            print("\(r["member"]?.cell ?? "") in \(r["module"]?.cell ?? ""), criteria v\(r["criteria_version"]?.cell ?? ""): \(CriteriaOptions.summary(r["criteria"]))")
            print("attended \(g?["attended"]?.cell ?? "0"), missed \(g?["missed"]?.cell ?? "0"), assignment \(r["assignment"]?["status"]?.stringValue ?? "none")")
            if let on = r["completed_on"]?.stringValue {
                print("completed on \(on) (recorded on \(r["recorded_on"]?.cell ?? "")), competence \(r["competence"]?.cell ?? "")")
            } else if g?["complete"]?.boolValue == true {
                print("meets its criteria (since \(g?["would_complete_on"]?.cell ?? "")): cds enrollment complete \(id)")
            } else {
                for m in g?["missing"]?.arrayValue ?? [] { print("  - \(m["label"]?.stringValue ?? m["key"]?.cell ?? "")") }
            }
        }
    }

    /// `cds enrollment submit ID --submission TEXT`.
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submits the learner's assignment (again, after it was returned).",
                                                        discussion: "Example: cds enrollment submit --db demo.sqlite enr_… --submission 'https://…/fiche-projet.pdf'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The enrollment's id.") var id: String
        @Option(help: "The work, or a link to it.") var submission: String

        func run() throws {
            var p: JSONObject = ["id": .string(id), "submission": .string(submission)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "enrollment.submit", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("enrollment \(r["id"]?.cell ?? ""): assignment \(r["assignment"]?["status"]?.cell ?? "")")
        }
    }

    /// `cds enrollment review ID --status accepted|returned`.
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A facilitator accepts a submitted assignment, or returns it with a note.",
            discussion: "Example: cds enrollment review --db demo.sqlite enr_… --status returned --note 'Il manque le budget' --actor mbr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The enrollment's id.") var id: String
        @Option(help: "accepted or returned.") var status: AssignmentStatus
        @Option(help: "The facilitator's note (required when returned).") var note: String?

        func run() throws {
            var p: JSONObject = ["id": .string(id), "status": .string(status.rawValue)]
            p.put("note", note)
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "enrollment.review", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("enrollment \(r["id"]?.cell ?? ""): assignment \(r["assignment"]?["status"]?.cell ?? "")" + (note.map { " (\($0))" } ?? ""))
        }
    }

    /// `cds enrollment complete ID`.
    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Completes an enrollment that meets its criteria and attests the module's competence; otherwise lists what is missing.",
            discussion: "Example: cds enrollment complete --db demo.sqlite enr_… --actor mbr_…")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The enrollment's id.") var id: String

        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "enrollment.complete", p, locale: output.locale)
            if output.printedJSON(r) { return }
            let e = r["enrollment"], c = r["competence"]
            print("enrollment \(e?["id"]?.cell ?? ""): completed on \(e?["completed_on"]?.cell ?? ""); \(c?["competence"]?.cell ?? "") attested (\(c?["id"]?.cell ?? ""))")
        }
    }
}

// MARK: Competences and indicators

extension CDSCommand.Competences {
    /// `cds competence revoke --member ID --competence KIND --on DAY --reason TEXT`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revokes a competence a member holds: she no longer holds it from that day.",
            discussion: "Example: cds competence revoke --db demo.sqlite --member mbr_… --competence communication --on 2026-09-01 --reason 'a quitté ses fonctions'")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The member.", valueName: "id")) var member: String
        @Option(help: "The competence.") var competence: CompetenceKind
        @Option(help: ArgumentHelp("The day it stops holding.", valueName: "date")) var on: String
        @Option(help: "Why.") var reason: String

        func run() throws {
            var p: JSONObject = ["member": .string(member), "competence": .string(competence.rawValue), "revoked_on": .string(on), "reason": .string(reason)]
            p.put("actor", actor.actor)
            let r = try Session.call(try database.open(), "competence.revoke", p, locale: output.locale)
            if output.printedJSON(r) { return }
            for c in r["revoked"]?.arrayValue ?? [] {
                print("\(c["id"]?.cell ?? ""): \(c["competence"]?.cell ?? "") attested \(c["attested_on"]?.cell ?? ""), revoked from \(c["revoked_on"]?.cell ?? "")")
            }
        }
    }

    /// `cds competence credential ID`.
    struct Credential: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints an attested competence as an Open Badges 3.0 OpenBadgeCredential, UNSIGNED (the host signs it).",
            discussion: "Example: cds competence credential --db demo.sqlite cmp_… --issuer https://cds.example.org > badge.json")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The competence record's id (member show lists them).") var id: String
        @Option(help: "The CDS's identifier as issuer: a URL the host controls (default urn:cds:issuer).") var issuer: String?
        @Option(name: .customLong("issuer-name"), help: "The issuer's name.") var issuerName: String?

        func run() throws {
            var p: JSONObject = ["id": .string(id)]
            p.put("issuer", issuer)
            p.put("issuer_name", issuerName)
            let r = try Session.call(try database.open(), "competence.credential", p, locale: output.locale)
            if output.printedJSON(r) { return }
            // The credential alone on standard output, for a file; the warning on standard error.
            print(r["credential"]?.text ?? "")
            StandardError.line("note: \(r["note"]?.cell ?? "unsigned")")
        }
    }
}

extension CDSCommand.Learning {
    /// `cds learning indicators`.
    struct Indicators: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The learning indicators as of a date, for a territory, and the communes with competent ADCs with the origin of each attestation.",
            discussion: "Example: cds learning indicators --db demo.sqlite --as-of 2026-12-31 --disaggregate gender")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("as-of"), help: ArgumentHelp("The date (default: today).", valueName: "date")) var asOf: String?
        @Option(help: "A commune, province or region.") var territory: String?
        @Option(help: "Split the people indicators: gender or country_of_residence.") var disaggregate: String?
        @Flag(name: .customLong("suppress-small-cells"), help: "Hide cells of fewer than 5 people.") var suppressSmallCells = false
        @Flag(help: "List the ids behind each figure, and the origin of each attestation.") var provenance = false

        func run() throws {
            var p: JSONObject = [:]
            p.put("as_of", asOf)
            p.put("territory", territory)
            p.put("disaggregate", disaggregate)
            if suppressSmallCells { p["suppress_small_cells"] = true }
            if provenance { p["provenance"] = true }
            let r = try Session.call(try database.open(), "learning.indicators", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("As of \(r["as_of"]?.cell ?? "")" + (r["territory"]?.isNull == false ? ", territory \(r["territory"]?.cell ?? "")" : ""))
            let all = (r["indicators"]?.arrayValue ?? []) + [r["competent_adcs"] ?? .null].filter { !$0.isNull }
            Table.print(["indicator", "value", "breakdown"], all.map { i in
                [i["label"]?.cell ?? i["id"]?.cell ?? "", i["value"]?.cell ?? "", Self.cells(i["breakdown"] ?? i["disaggregation"])]
            })
            guard provenance else { return }
            for i in all where !(i["ids"]?.arrayValue ?? []).isEmpty { print("\(i["id"]?.cell ?? ""): \(i["ids"]?.cell ?? "")") }
            for e in r["competent_adcs"]?["evidence"]?.arrayValue ?? [] {
                let origins = (e["competences"]?.objectValue ?? JSONObject()).map { (k: String, v: JSON) in
                    "\(k) by " + (v.arrayValue ?? []).map { o in
                        o["origin"]?.stringValue == "module" ? "module \(o["module"]?.cell ?? "") v\(o["criteria_version"]?.cell ?? "")" : "hand (\(o["id"]?.cell ?? ""))"
                    }.joined(separator: " and ")
                }
                print("  \(e["commune"]?.cell ?? "") \(e["adc"]?.cell ?? ""): " + origins.joined(separator: "; "))
            }
        }

        /// `key: value, …` of a breakdown; a suppressed cell reads `<5`.
        static func cells(_ b: JSON?) -> String {
            (b?.arrayValue ?? []).map { c in "\(c["key"]?.cell ?? ""): " + (c["suppressed"]?.boolValue == true ? "<5" : c["value"]?.cell ?? "") }
                .joined(separator: ", ")
        }
    }
}

