/// Thematic (water, the argan value chain, project engineering…) or territorial (a commune, a province).
public enum SpaceKind: String, Vocabulary {
    case thematic, territorial
    public var labels: Labels {
        switch self {
        case .thematic: Labels(fr: "Thématique", ar: "موضوعاتي", en: "Thematic")
        case .territorial: Labels(fr: "Territorial", ar: "ترابي", en: "Territorial")
        }
    }
}

/// A member's role in a learning space.
public enum SpaceRole: String, Vocabulary {
    case facilitator, participant
    public var labels: Labels {
        switch self {
        case .facilitator: Labels(fr: "Animateur", ar: "منشط", en: "Facilitator")
        case .participant: Labels(fr: "Participant", ar: "مشارك", en: "Participant")
        }
    }
}

/// Who may join a space: anyone (open) or those a facilitator adds (by invitation).
public enum SpaceAccess: String, Vocabulary {
    case open, invitation
    public var labels: Labels {
        switch self {
        case .open: Labels(fr: "Ouvert", ar: "مفتوح", en: "Open")
        case .invitation: Labels(fr: "Sur invitation", ar: "بدعوة", en: "By invitation")
        }
    }
}

/// Where a post stands: held for a facilitator, visible, hidden, removed.
public enum PostState: String, Vocabulary {
    case held, visible, hidden, removed
    public var labels: Labels {
        switch self {
        case .held: Labels(fr: "En attente de modération", ar: "في انتظار الإشراف", en: "Held for moderation")
        case .visible: Labels(fr: "Visible", ar: "ظاهر", en: "Visible")
        case .hidden: Labels(fr: "Masqué", ar: "مخفي", en: "Hidden")
        case .removed: Labels(fr: "Retiré", ar: "محذوف", en: "Removed")
        }
    }
}

/// An interactive learning space, with its members, languages and access.
public struct LearningSpace: Sendable, Equatable {
    /// The opaque id (`spc_…`).
    public var id: String
    /// Thematic or territorial.
    public var kind: SpaceKind
    /// Its name.
    public var name: String
    /// What it is for.
    public var description: String?
    /// The theme of a thematic space (a PAC sector code or a short theme: water, argan…).
    public var theme: String?
    /// The territory of a territorial space (a commune, a province, a region).
    public var territory: String?
    /// The languages it works in (ISO 639).
    public var languages: [String]
    /// Open, or by invitation.
    public var access: SpaceAccess
    /// When it was created.
    public var createdAt: Instant

    /// A space.
    public init(id: String, kind: SpaceKind, name: String, description: String? = nil, theme: String? = nil, territory: String? = nil,
                languages: [String], access: SpaceAccess, createdAt: Instant) {
        self.id = id; self.kind = kind; self.name = name; self.description = description; self.theme = theme; self.territory = territory
        self.languages = languages; self.access = access; self.createdAt = createdAt
    }

    /// A territorial space has a territory and no theme; a thematic one a theme; at least one language.
    public func validate() throws(CDSError) {
        switch kind {
        case .territorial:
            guard territory != nil else { throw CDSError.invalid("territory", "a territorial space names its territory") }
        case .thematic:
            guard theme != nil else { throw CDSError.invalid("theme", "a thematic space names its theme") }
            guard territory == nil else { throw CDSError.invalid("territory", "a thematic space has no territory: make it territorial") }
        }
        guard !languages.isEmpty else { throw CDSError.invalid("languages", "a space works in at least one language") }
        _ = try Validate.unique(languages, field: "languages")
    }

    /// `{"id", "kind", "name", "description", "theme", "territory", "languages", "access", "created_at"}`.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("kind", .string(kind.rawValue)), ("name", .string(name)), ("description", .optional(description)),
            ("theme", .optional(theme)), ("territory", .optional(territory)), ("languages", .strings(languages)), ("access", .string(access.rawValue)),
            ("created_at", .string(createdAt.description)),
        ]))
    }
}

/// A discussion post: in a thread, perhaps a reply to another, with its moderation state.
public struct Post: Sendable, Equatable {
    /// The opaque id (`pst_…`).
    public var id: String
    /// The thread.
    public var thread: String
    /// The post it replies to.
    public var parent: String?
    /// Who wrote it.
    public var author: String
    /// The text.
    public var body: String
    /// Held, visible, hidden, removed.
    public var state: PostState
    /// Who moderated it last, and why.
    public var moderatedBy: String?
    /// Why it was moderated.
    public var reason: String?
    /// How many members flagged it.
    public var flags: Int64
    /// When it was written.
    public var createdAt: Instant

    /// A post.
    public init(id: String, thread: String, parent: String?, author: String, body: String, state: PostState, moderatedBy: String? = nil,
                reason: String? = nil, flags: Int64 = 0, createdAt: Instant) {
        self.id = id; self.thread = thread; self.parent = parent; self.author = author; self.body = body; self.state = state
        self.moderatedBy = moderatedBy; self.reason = reason; self.flags = flags; self.createdAt = createdAt
    }

    /// `{"id", "thread", "parent", "author", "body", "state", "moderated_by", "reason", "flags", "created_at"}`.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("thread", .string(thread)), ("parent", .optional(parent)), ("author", .string(author)), ("body", .string(body)),
            ("state", .string(state.rawValue)), ("moderated_by", .optional(moderatedBy)), ("reason", .optional(reason)), ("flags", .int(flags)),
            ("created_at", .string(createdAt.description)),
        ]))
    }
}

/// The moderation rules of discussions.
public enum Moderation {
    /// How many of a participant's posts a facilitator must make visible before hers show at once.
    public static let postsHeldForNewParticipants = 1

    /// The state a new post starts in: a facilitator's (of the space, or staff) is visible; a
    /// participant's is held until a facilitator has let `postsHeldForNewParticipants` of her posts through.
    public static func initialState(moderator: Bool, visiblePosts: Int) -> PostState {
        moderator || visiblePosts >= postsHeldForNewParticipants ? .visible : .held
    }

    /// Whether a reader sees a thread at all, its title included: a thread shows as its
    /// opening post, so one whose opening post is held, hidden or removed shows only to its
    /// author and to the space's moderators (its facilitators, staff).
    public static func showsThread(opening: PostState?, author: String, reader: String?, moderator: Bool) -> Bool {
        opening == .visible || moderator || (reader != nil && reader == author)
    }

    /// Checks a moderation: held → visible or removed; visible ↔ hidden; anything but removed → removed
    /// (final). Hiding and removing give a reason.
    public static func check(from: PostState, to: PostState, reason: String?) throws(CDSError) {
        guard from != .removed else { throw CDSError(.conflict, "a removed post stays removed") }
        guard from != to else { throw CDSError(.conflict, "the post is \(to.rawValue) already") }
        switch (from, to) {
        case (.held, .hidden): throw CDSError(.conflict, "a held post is let through (visible) or removed, not hidden")
        case (_, .held): throw CDSError(.conflict, "a post is held only when it is written")
        default: break
        }
        if to == .hidden || to == .removed, reason == nil {
            throw CDSError.invalid("reason", "hiding or removing a post says why: a reason is required")
        }
    }
}

/// What kind of learning resource: a guide, a template, an FAQ, a recording, a link.
public enum LearningResourceKind: String, Vocabulary {
    case guide, template, faq, recording, link
    public var labels: Labels {
        switch self {
        case .guide: Labels(fr: "Guide", ar: "دليل", en: "Guide")
        case .template: Labels(fr: "Modèle", ar: "نموذج", en: "Template")
        case .faq: Labels(fr: "Questions fréquentes", ar: "أسئلة متكررة", en: "FAQ")
        case .recording: Labels(fr: "Enregistrement", ar: "تسجيل", en: "Recording")
        case .link: Labels(fr: "Lien", ar: "رابط", en: "Link")
        }
    }
}

/// How a member used a resource.
public enum ResourceUse: String, Vocabulary {
    case viewed, downloaded
    public var labels: Labels {
        switch self {
        case .viewed: Labels(fr: "Consulté", ar: "تمت معاينته", en: "Viewed")
        case .downloaded: Labels(fr: "Téléchargé", ar: "تم تحميله", en: "Downloaded")
        }
    }
}

/// A resource of a learning space, in one language; a translation links to its original.
public struct LearningResource: Sendable, Equatable {
    /// The opaque id (`res_…`).
    public var id: String
    /// The space it belongs to.
    public var space: String
    /// Guide, template, FAQ, recording, link.
    public var kind: LearningResourceKind
    /// Its title.
    public var title: String
    /// What it holds.
    public var description: String?
    /// Where it is.
    public var url: String?
    /// Its language (ISO 639).
    public var language: String
    /// The resource it translates, if it is a translation.
    public var original: String?
    /// Its PAC sector.
    public var sector: String?
    /// Free tags.
    public var tags: [String]
    /// Who added it.
    public var createdBy: String?
    /// When it was added.
    public var createdAt: Instant

    /// A resource.
    public init(id: String, space: String, kind: LearningResourceKind, title: String, description: String? = nil, url: String? = nil, language: String,
                original: String? = nil, sector: String? = nil, tags: [String] = [], createdBy: String? = nil, createdAt: Instant) {
        self.id = id; self.space = space; self.kind = kind; self.title = title; self.description = description; self.url = url; self.language = language
        self.original = original; self.sector = sector; self.tags = tags; self.createdBy = createdBy; self.createdAt = createdAt
    }

    /// A recording or a link has its URL; tags are unique.
    public func validate() throws(CDSError) {
        if kind == .recording || kind == .link, url == nil { throw CDSError.invalid("url", "a \(kind.rawValue) needs its url") }
        _ = try Validate.unique(tags, field: "tags")
    }

    /// A translation is of an original (not of another translation), of the same kind and space, in another language.
    public func checkTranslation(of o: LearningResource) throws(CDSError) {
        guard o.original == nil else { throw CDSError.invalid("original", "\(o.id) is itself a translation: link to its original \(o.original ?? "")") }
        guard o.space == space else { throw CDSError.invalid("original", "the original is in another space") }
        guard o.kind == kind else { throw CDSError.invalid("original", "a translation is of the same kind as its original (\(o.kind.rawValue))") }
        guard o.language != language else { throw CDSError.invalid("language", "a translation is in another language than its original (\(o.language))") }
    }

    /// `{"id", "space", "kind", "title", "description", "url", "language", "original", "sector", "tags", "created_by", "created_at"}`.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("space", .string(space)), ("kind", .string(kind.rawValue)), ("title", .string(title)), ("description", .optional(description)),
            ("url", .optional(url)), ("language", .string(language)), ("original", .optional(original)), ("sector", .optional(sector)), ("tags", .strings(tags)),
            ("created_by", .optional(createdBy)), ("created_at", .string(createdAt.description)),
        ]))
    }
}
