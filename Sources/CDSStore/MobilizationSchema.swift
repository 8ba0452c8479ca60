import CDSCore

private func codes<V: Vocabulary>(_ v: V.Type) -> String { V.codes.map { "'\($0)'" }.joined(separator: ", ") }

extension Store {
    /// Invitations, the links of the circles (who brought whom: one inviter each), and the
    /// outbox of messages the host delivers.
    static let schemaMobilization = """
        CREATE TABLE invitation (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 8 AND 40),
          inviter_member TEXT REFERENCES member(id),
          inviter_organization TEXT REFERENCES organization(id),
          channel TEXT NOT NULL CHECK (channel IN (\(codes(InvitationChannel.self)))),
          name TEXT,
          email TEXT,
          phone TEXT,
          note TEXT,
          status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked')),
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          accepted_at INTEGER,
          member TEXT REFERENCES member(id),
          CHECK ((inviter_member IS NULL) != (inviter_organization IS NULL)),
          CHECK ((status = 'accepted') = (member IS NOT NULL AND accepted_at IS NOT NULL))
        ) STRICT;
        CREATE INDEX invitation_by_inviter_member ON invitation(inviter_member) WHERE inviter_member IS NOT NULL;
        CREATE INDEX invitation_by_inviter_organization ON invitation(inviter_organization) WHERE inviter_organization IS NOT NULL;
        CREATE INDEX invitation_by_email ON invitation(email) WHERE email IS NOT NULL;

        CREATE TABLE circle_link (
          member TEXT PRIMARY KEY REFERENCES member(id),
          inviter_member TEXT REFERENCES member(id),
          inviter_organization TEXT REFERENCES organization(id),
          invitation TEXT NOT NULL REFERENCES invitation(id),
          linked_at INTEGER NOT NULL,
          CHECK ((inviter_member IS NULL) != (inviter_organization IS NULL)),
          CHECK (inviter_member IS NOT member)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX circle_link_by_inviter_member ON circle_link(inviter_member) WHERE inviter_member IS NOT NULL;

        CREATE TABLE message (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          member TEXT NOT NULL REFERENCES member(id),
          channel TEXT NOT NULL CHECK (channel IN (\(codes(OutreachChannel.self)))),
          language TEXT NOT NULL CHECK (language IN (\(codes(Locale.self)))),
          template TEXT NOT NULL,
          params TEXT NOT NULL CHECK (json_valid(params) AND json_type(params) = 'object'),
          reason TEXT NOT NULL CHECK (json_valid(reason)),
          need TEXT REFERENCES need(id),
          project TEXT REFERENCES project(id),
          digest TEXT REFERENCES message(id),
          status TEXT NOT NULL CHECK (status IN (\(codes(MessageStatus.self)))),
          not_before INTEGER NOT NULL,
          week INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          taken_at INTEGER,
          attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
          done_at INTEGER,
          outcome TEXT,
          CHECK ((status = 'digested') = (digest IS NOT NULL))
        ) STRICT;
        CREATE INDEX message_by_member_week ON message(member, week, status);
        CREATE INDEX message_by_status ON message(status, not_before);
        CREATE INDEX message_by_need ON message(need) WHERE need IS NOT NULL;
        CREATE INDEX message_by_digest ON message(digest) WHERE digest IS NOT NULL;
        """
}
