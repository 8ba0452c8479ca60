import CDSCore
import GRDB

/// Who reads or writes a discussion: the acting member (nil: an anonymous visitor) and
/// whether she is staff (the trusted system, a facilitator or an admin of the CDS).
public struct Reader: Sendable {
    /// The acting member.
    public var member: String?
    /// The system, a facilitator or an admin.
    public var staff: Bool
    /// A reader.
    public init(member: String?, staff: Bool) { self.member = member; self.staff = staff }
}

extension Store {
    static func space(_ r: StoredRow) throws(CDSError) -> LearningSpace {
        let languages = try r.json("languages")
        guard let list = languages.arrayValue?.compactMap(\.stringValue), list.count == languages.arrayValue?.count else {
            throw r.damage("languages", "is not a list of language codes")
        }
        return LearningSpace(id: try r.text("id"), kind: try r.code("kind", SpaceKind.self), name: try r.text("name"), description: try r.optionalText("description"),
                             theme: try r.optionalText("theme"), territory: try r.optionalText("territory"), languages: list,
                             access: try r.code("access", SpaceAccess.self), createdAt: try r.instant("created_at"))
    }

    static func fetchSpace(_ db: Database, _ id: String) throws -> LearningSpace? {
        try storedRow(db, "learning_space", sql: "SELECT * FROM learning_space WHERE id = ?", arguments: [id]).map { r throws(CDSError) in try space(r) }
    }

    /// The member's role in the space, if she is in it.
    static func spaceRole(_ db: Database, space: String, member: String?) throws -> SpaceRole? {
        guard let member else { return nil }
        return try storedRow(db, "space_member", sql: "SELECT role FROM space_member WHERE space = ? AND member = ?", arguments: [space, member])
            .map { r throws(CDSError) in try r.code("role", SpaceRole.self) }
    }

    /// True when the reader moderates the space: staff, or one of its facilitators.
    static func moderates(_ db: Database, space: String, _ reader: Reader) throws -> Bool {
        if reader.staff { return true }
        return try spaceRole(db, space: space, member: reader.member) == .facilitator
    }

    /// The space `id`, or `not_found`.
    public func learningSpace(_ id: String) throws(CDSError) -> LearningSpace {
        guard let s = try read({ db in try Store.fetchSpace(db, id) }) else { throw CDSError.notFound("learning space", id) }
        return s
    }

    /// Creates a learning space (its territory and languages checked against the reference
    /// data); logs `space.created`.
    public func createSpace(_ draft: LearningSpace, change: Change = Change()) throws(CDSError) -> LearningSpace {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            var s = draft
            s.id = Identifier.make("spc")
            s.createdAt = change.at ?? now
            s.name = try Validate.text(s.name, field: "name", max: Limits.name)
            s.description = try Validate.optionalText(s.description, field: "description", max: Limits.note)
            s.theme = try Validate.optionalText(s.theme, field: "theme", max: Limits.reference)
            try s.validate()
            if let t = s.territory { _ = try Store.territoryLevel(db, t, field: "territory") }
            try Store.checkCodes(db, s.languages, dataset: "languages", field: "languages")
            try Store.exec(db, sql: """
                INSERT INTO learning_space(id, kind, name, description, theme, territory, languages, access, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.id, s.kind.rawValue, s.name, s.description, s.theme, s.territory, JSON.strings(s.languages).text, s.access.rawValue,
                                 s.createdAt.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .spaceCreated, subject: s.id, change: change, recordedAt: now, payload: PostEvents.spaceCreated(s))
            return s
        }
    }

    /// Learning spaces by kind and territory (with what lies below it), in creation order.
    public func learningSpaces(kind: SpaceKind?, territory: String?, limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<LearningSpace> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let kind { w.append(("kind = ?", [kind.rawValue])) }
            if let territory {
                _ = try Store.territoryLevel(db, territory, field: "territory")
                w.append(("(territory = ? OR territory LIKE ?)", [territory, territory + ".%"]))
            }
            return try Store.rowPage(db, table: "learning_space", where: w, limit: limit, cursor: cursor) { r throws(CDSError) in try Store.space(r) }
        }
    }

    /// Adds a member to a space. She joins an open space as a participant by herself; a
    /// facilitator of the space (or staff) adds anyone, to a space by invitation too, and
    /// only they make a member a facilitator. Logs `space.member_added`.
    public func addSpaceMember(space: String, member: String, role: SpaceRole, by reader: Reader, change: Change = Change()) throws(CDSError) -> JSON {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let s = try Store.fetchSpace(db, space) else { throw CDSError.notFound("learning space", space) }
            try Store.requireLiveMember(db, member, field: "member")
            let moderator = try Store.moderates(db, space: space, reader)
            if !moderator {
                guard role == .participant else {
                    throw CDSError(.forbidden, "only a facilitator of the space or staff makes a member a facilitator", details: ["rule": "space.facilitator", "field": "role"])
                }
                guard s.access == .open else {
                    throw CDSError(.forbidden, "space \(space) is by invitation: a facilitator of the space adds its members", details: ["rule": "space.invitation", "field": "space"])
                }
                guard reader.member == member else {
                    throw CDSError(.forbidden, "a member joins an open space by herself", details: ["rule": "space.facilitator", "field": "member"])
                }
            }
            if try Store.spaceRole(db, space: space, member: member) != nil { throw CDSError(.conflict, "member \(member) is in space \(space) already") }
            let at = change.at ?? now
            try Store.exec(db, sql: "INSERT INTO space_member(space, member, role, joined_at) VALUES (?, ?, ?, ?)", arguments: [space, member, role.rawValue, at.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .spaceMemberAdded, subject: space, change: change, recordedAt: now, payload: PostEvents.memberAdded(space: space, member: member, role: role))
            return ["space": .string(space), "member": .string(member), "role": .string(role.rawValue), "joined_at": .string(at.description)]
        }
    }

    /// The members of a space with their role, in the order they joined.
    public func spaceMembers(_ space: String) throws(CDSError) -> [(member: String, role: SpaceRole)] {
        try read { db in
            guard try Store.exists(db, "learning_space", space) else { throw CDSError.notFound("learning space", space) }
            return try Store.storedRows(db, "space_member", sql: "SELECT member, role FROM space_member WHERE space = ? ORDER BY joined_at, member", arguments: [space])
                .map { r throws(CDSError) in (try r.text("member"), try r.code("role", SpaceRole.self)) }
        }
    }

    // MARK: Discussions

    static func post(_ r: StoredRow) throws(CDSError) -> Post {
        Post(id: try r.text("id"), thread: try r.text("thread"), parent: try r.optionalText("parent"), author: try r.text("author"), body: try r.text("body"),
             state: try r.code("state", PostState.self), moderatedBy: try r.optionalText("moderated_by"), reason: try r.optionalText("moderation_reason"),
             flags: try r.value("flags", Int64.self), createdAt: try r.instant("created_at"))
    }

    static let postColumns = "p.*, (SELECT COUNT(*) FROM post_flag f WHERE f.post = p.id) AS flags"

    /// The author must be in the thread's space: a post in a space she is not in is refused.
    static func requireInSpace(_ db: Database, space: String, member: String) throws {
        guard try spaceRole(db, space: space, member: member) != nil else {
            throw CDSError(.forbidden, "member \(member) is not in space \(space): join it (or be added to it) to write there",
                           details: ["rule": "space.member", "field": "author", "space": .string(space)])
        }
    }

    /// The state a new post of `author` in `space` starts in (``Moderation/initialState(moderator:visiblePosts:)``).
    static func newPostState(_ db: Database, space: String, author: String) throws -> PostState {
        let moderator = try spaceRole(db, space: space, member: author) == .facilitator || isFacilitatorOrAdmin(db, author)
        let visible = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM post p JOIN thread t ON t.id = p.thread WHERE t.space = ? AND p.author = ? AND p.state = 'visible'
            """, arguments: [space, author]) ?? 0
        return Moderation.initialState(moderator: moderator, visiblePosts: visible)
    }

    /// Writes a post (or a reply to a visible post of the same thread). A participant's first
    /// posts are held for a facilitator (``Moderation``); a held post counts in nothing and
    /// notifies no one. Logs `post.created`.
    static func insertPost(_ db: Database, thread: String, space: String, parent: String?, author: String, body: String, change: Change, now: Instant) throws -> Post {
        try requireLiveMember(db, author, field: "author")
        try requireInSpace(db, space: space, member: author)
        if let parent {
            guard let p = try storedRow(db, "post", sql: "SELECT thread, state FROM post WHERE id = ?", arguments: [parent]) else {
                throw CDSError.invalid("parent", "no post \"\(parent)\"")
            }
            guard try p.text("thread") == thread else { throw CDSError.invalid("parent", "post \(parent) is in another thread") }
            guard try p.code("state", PostState.self) == .visible else { throw CDSError.invalid("parent", "a reply answers a visible post") }
        }
        let at = change.at ?? now
        let p = Post(id: Identifier.make("pst"), thread: thread, parent: parent, author: author, body: try Validate.text(body, field: "body", max: Limits.note),
                     state: try newPostState(db, space: space, author: author), createdAt: at)
        try exec(db, sql: "INSERT INTO post(id, thread, parent, author, body, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 arguments: [p.id, thread, parent, author, p.body, p.state.rawValue, at.millisecondsSinceEpoch])
        try appendEvent(db, type: .postCreated, subject: p.id, change: change, recordedAt: now, payload: PostEvents.created(p, space: space))
        return p
    }

    /// Opens a thread in a space with its first post; logs `thread.created` and `post.created`.
    public func createThread(space: String, title: String, author: String, body: String, change: Change = Change()) throws(CDSError) -> (thread: JSON, post: Post) {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard try Store.exists(db, "learning_space", space) else { throw CDSError.notFound("learning space", space) }
            try Store.requireLiveMember(db, author, field: "author")
            try Store.requireInSpace(db, space: space, member: author)
            let id = Identifier.make("thr"), t = try Validate.text(title, field: "title", max: Limits.name), at = change.at ?? now
            try Store.exec(db, sql: "INSERT INTO thread(id, space, title, author, created_at) VALUES (?, ?, ?, ?, ?)", arguments: [id, space, t, author, at.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .threadCreated, subject: id, change: change, recordedAt: now,
                                  payload: PostEvents.threadCreated(id: id, space: space, title: t, held: try Store.newPostState(db, space: space, author: author) == .held))
            let p = try Store.insertPost(db, thread: id, space: space, parent: nil, author: author, body: body, change: change, now: now)
            return (["id": .string(id), "space": .string(space), "title": .string(t), "author": .string(author), "created_at": .string(at.description)], p)
        }
    }

    static func threadSpace(_ db: Database, _ thread: String) throws -> String {
        guard let r = try storedRow(db, "thread", sql: "SELECT space FROM thread WHERE id = ?", arguments: [thread]) else { throw CDSError.notFound("thread", thread) }
        return try r.text("space")
    }

    /// Writes a post in a thread, or a reply; logs `post.created`.
    public func createPost(thread: String, parent: String?, author: String, body: String, change: Change = Change()) throws(CDSError) -> Post {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let space = try Store.threadSpace(db, thread)
            return try Store.insertPost(db, thread: thread, space: space, parent: parent, author: author, body: body, change: change, now: now)
        }
    }

    /// Moderates a post (a facilitator of its space, or staff): held → visible or removed,
    /// visible ↔ hidden, anything → removed, with who and why. Logs `post.moderated`.
    public func moderatePost(_ id: String, to state: PostState, reason: String?, by reader: Reader, change: Change = Change()) throws(CDSError) -> Post {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let r = try Store.storedRow(db, "post", sql: "SELECT \(Store.postColumns) FROM post p WHERE p.id = ?", arguments: [id]) else { throw CDSError.notFound("post", id) }
            var p = try Store.post(r)
            let space = try Store.threadSpace(db, p.thread)
            guard try Store.moderates(db, space: space, reader) else {
                throw CDSError(.forbidden, "only a facilitator of the space or staff moderates its posts", details: ["rule": "space.facilitator", "space": .string(space)])
            }
            let why = try Validate.optionalText(reason, field: "reason", max: Limits.note)
            try Moderation.check(from: p.state, to: state, reason: why)
            let at = change.at ?? now
            try Store.exec(db, sql: "UPDATE post SET state = ?, moderated_by = ?, moderation_reason = ?, moderated_at = ? WHERE id = ?",
                           arguments: [state.rawValue, reader.member, why, at.millisecondsSinceEpoch, id])
            try Store.appendEvent(db, type: .postModerated, subject: id, change: change, recordedAt: now, payload: PostEvents.moderated(id: id, from: p.state, to: state, reason: why))
            p.state = state
            p.moderatedBy = reader.member
            p.reason = why
            return p
        }
    }

    /// A member of the space flags a visible post for its facilitators, once; logs `post.flagged`.
    public func flagPost(_ id: String, member: String, reason: String, change: Change = Change()) throws(CDSError) -> Post {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let r = try Store.storedRow(db, "post", sql: "SELECT \(Store.postColumns) FROM post p WHERE p.id = ?", arguments: [id]) else { throw CDSError.notFound("post", id) }
            var p = try Store.post(r)
            guard p.state == .visible else { throw CDSError(.conflict, "only a visible post is flagged (this one is \(p.state.rawValue))") }
            let space = try Store.threadSpace(db, p.thread)
            try Store.requireInSpace(db, space: space, member: member)
            let why = try Validate.text(reason, field: "reason", max: Limits.note)
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM post_flag WHERE post = ? AND member = ?)", arguments: [id, member]) == true {
                throw CDSError(.conflict, "member \(member) flagged post \(id) already")
            }
            try Store.exec(db, sql: "INSERT INTO post_flag(post, member, reason, flagged_at) VALUES (?, ?, ?, ?)", arguments: [id, member, why, (change.at ?? now).millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .postFlagged, subject: id, change: change, recordedAt: now, payload: PostEvents.flagged(post: id, member: member))
            p.flags += 1
            return p
        }
    }

    /// Refuses a reader who may not read a space by invitation's discussions (not a member, not staff).
    static func requireReader(_ db: Database, _ s: LearningSpace, _ reader: Reader) throws {
        guard s.access == .invitation, !reader.staff, try spaceRole(db, space: s.id, member: reader.member) == nil else { return }
        throw CDSError(.forbidden, "the discussions of space \(s.id) are for its members", details: ["rule": "space.member", "space": .string(s.id)])
    }

    /// A thread with the posts the reader sees: visible ones for everyone; a moderator sees
    /// every state; an author her own held posts. `visible_posts` counts visible posts only.
    public func thread(_ id: String, reader: Reader) throws(CDSError) -> JSON {
        try read { db in
            guard let t = try Store.storedRow(db, "thread", sql: "SELECT * FROM thread WHERE id = ?", arguments: [id]) else { throw CDSError.notFound("thread", id) }
            let spaceId = try t.text("space")
            guard let s = try Store.fetchSpace(db, spaceId) else { throw t.damage("space", "no learning space \"\(spaceId)\"") }
            try Store.requireReader(db, s, reader)
            let moderator = try Store.moderates(db, space: spaceId, reader)
            let posts = try Store.storedRows(db, "post", sql: "SELECT \(Store.postColumns) FROM post p WHERE p.thread = ? ORDER BY p.seq", arguments: [id])
                .map { r throws(CDSError) in try Store.post(r) }
            let author = try t.text("author")
            guard Moderation.showsThread(opening: posts.first?.state, author: author, reader: reader.member, moderator: moderator) else {
                throw CDSError(.forbidden, "thread \(id) is held or moderated: only its author and the space's facilitators see it",
                               details: ["rule": "thread.moderated", "thread": .string(id)])
            }
            let shown = posts.filter { moderator || $0.state == .visible || ($0.state == .held && $0.author == reader.member) }
            return .object(JSONObject([
                ("id", .string(id)), ("space", .string(spaceId)), ("title", .string(try t.text("title"))), ("author", .string(author)),
                ("created_at", .string(try t.instant("created_at").description)),
                ("visible_posts", .int(Int64(posts.filter { $0.state == .visible }.count))),
                ("held_posts", moderator ? .int(Int64(posts.filter { $0.state == .held }.count)) : .null),
                ("posts", .array(shown.map(\.json))),
            ]))
        }
    }

    /// The threads of a space, each with its count of visible posts, in creation order; nil
    /// for a thread the reader may not see (``Moderation/showsThread(opening:author:reader:moderator:)``):
    /// the method counts it in `withheld`.
    public func threads(space: String, reader: Reader, limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<JSON?> {
        try read { db in
            guard let s = try Store.fetchSpace(db, space) else { throw CDSError.notFound("learning space", space) }
            try Store.requireReader(db, s, reader)
            let moderator = try Store.moderates(db, space: space, reader)
            let rows = try Store.storedRows(db, "thread", sql: """
                SELECT t.seq AS seq, t.id AS id, t.title AS title, t.author AS author, t.created_at AS created_at,
                  (SELECT COUNT(*) FROM post p WHERE p.thread = t.id AND p.state = 'visible') AS visible_posts,
                  (SELECT p.state FROM post p WHERE p.thread = t.id ORDER BY p.seq LIMIT 1) AS opening
                FROM thread t WHERE t.space = ? AND t.seq > ? ORDER BY t.seq LIMIT ?
                """, arguments: [space, cursor, limit + 1]).map { r throws(CDSError) -> (seq: Int64, json: JSON?) in
                    let opening = try r.optionalText("opening").map { t throws(CDSError) in try StoredRow.code(t, PostState.self, table: "post", column: "state") }
                    let author = try r.text("author")
                    guard Moderation.showsThread(opening: opening, author: author, reader: reader.member, moderator: moderator) else {
                        return (try r.value("seq", Int64.self), nil)
                    }
                    return (try r.value("seq", Int64.self), .object(JSONObject([
                        ("id", .string(try r.text("id"))), ("space", .string(space)), ("title", .string(try r.text("title"))), ("author", .string(author)),
                        ("created_at", .string(try r.instant("created_at").description)), ("visible_posts", .int(try r.value("visible_posts", Int64.self))),
                    ])))
                }
            let page = Store.page(rows, limit: limit) { String($0.seq) }
            return Page(items: page.items.map(\.json), nextCursor: page.nextCursor)
        }
    }

    /// An erasure (``LearningErasure``): her posts' bodies and her flags' reasons blanked, her
    /// threads' titles replaced, her submissions and their reviews' notes cleared, the rows
    /// kept so that no count and no indicator moves; the events about her threads, posts and
    /// enrollments lose their texts (redacted: their hashes still chain).
    static func eraseFromLearning(_ db: Database, member: String) throws {
        try redactEvents(db, where: """
            subject IN (SELECT id FROM thread WHERE author = ?) OR subject IN (SELECT id FROM post WHERE author = ?)
              OR subject IN (SELECT id FROM enrollment WHERE member = ?)
            """, arguments: [member, member, member]) { r throws(CDSError) in try LearningErasure.redacted(r) }
        try exec(db, sql: "UPDATE post SET body = '' WHERE author = ?", arguments: [member])
        try exec(db, sql: "UPDATE thread SET title = ? WHERE author = ?", arguments: [LearningErasure.title, member])
        try exec(db, sql: "UPDATE post_flag SET reason = '' WHERE member = ?", arguments: [member])
        try exec(db, sql: "UPDATE enrollment SET submission = NULL, review_note = NULL WHERE member = ?", arguments: [member])
    }
}
