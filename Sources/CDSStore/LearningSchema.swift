import CDSCore

private func codes<V: Vocabulary>(_ v: V.Type) -> String { V.codes.map { "'\($0)'" }.joined(separator: ", ") }
private let date = "GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"

extension Store {
    /// Learning: spaces and their members, resources and who used them, discussions,
    /// learning events with sessions, registrations and attendance, training modules with
    /// versioned criteria, enrollments and assignments; competences gain their enrollment
    /// (a module's attestation) and their revocation.
    static let schemaLearning = """
        CREATE TABLE learning_space (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('thematic', 'territorial')),
          name TEXT NOT NULL CHECK (length(name) > 0),
          description TEXT,
          theme TEXT,
          territory TEXT REFERENCES territory(code),
          languages TEXT NOT NULL CHECK (json_valid(languages) AND json_type(languages) = 'array'),
          access TEXT NOT NULL CHECK (access IN ('open', 'invitation')),
          created_at INTEGER NOT NULL,
          CHECK ((kind = 'territorial') = (territory IS NOT NULL)),
          CHECK (kind = 'territorial' OR theme IS NOT NULL)
        ) STRICT;

        CREATE TABLE space_member (
          space TEXT NOT NULL REFERENCES learning_space(id),
          member TEXT NOT NULL REFERENCES member(id),
          role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant')),
          joined_at INTEGER NOT NULL,
          PRIMARY KEY (space, member)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX space_member_by_member ON space_member(member);

        CREATE TABLE resource (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          space TEXT NOT NULL REFERENCES learning_space(id),
          kind TEXT NOT NULL CHECK (kind IN ('guide', 'template', 'faq', 'recording', 'link')),
          title TEXT NOT NULL CHECK (length(title) > 0),
          description TEXT,
          url TEXT,
          language TEXT NOT NULL,
          original TEXT REFERENCES resource(id),
          sector TEXT,
          tags TEXT NOT NULL CHECK (json_valid(tags) AND json_type(tags) = 'array'),
          created_by TEXT REFERENCES member(id),
          created_at INTEGER NOT NULL,
          CHECK (original IS NOT id)
        ) STRICT;
        CREATE INDEX resource_by_space ON resource(space);
        CREATE INDEX resource_by_original ON resource(original) WHERE original IS NOT NULL;

        CREATE TABLE resource_use (
          seq INTEGER PRIMARY KEY,
          resource TEXT NOT NULL REFERENCES resource(id),
          member TEXT NOT NULL REFERENCES member(id),
          action TEXT NOT NULL CHECK (action IN ('viewed', 'downloaded')),
          used_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX resource_use_by_member ON resource_use(member, resource);

        CREATE TABLE thread (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          space TEXT NOT NULL REFERENCES learning_space(id),
          title TEXT NOT NULL CHECK (length(title) > 0),
          author TEXT NOT NULL REFERENCES member(id),
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX thread_by_space ON thread(space);

        CREATE TABLE post (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          thread TEXT NOT NULL REFERENCES thread(id),
          parent TEXT REFERENCES post(id),
          author TEXT NOT NULL REFERENCES member(id),
          body TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('held', 'visible', 'hidden', 'removed')),
          moderated_by TEXT REFERENCES member(id),
          moderation_reason TEXT,
          moderated_at INTEGER,
          created_at INTEGER NOT NULL,
          CHECK (parent IS NOT id)
        ) STRICT;
        CREATE INDEX post_by_thread ON post(thread, seq);
        CREATE INDEX post_by_author ON post(author);

        CREATE TABLE post_flag (
          post TEXT NOT NULL REFERENCES post(id),
          member TEXT NOT NULL REFERENCES member(id),
          reason TEXT NOT NULL,
          flagged_at INTEGER NOT NULL,
          PRIMARY KEY (post, member)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE learning_event (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          space TEXT REFERENCES learning_space(id),
          kind TEXT NOT NULL CHECK (kind IN (\(codes(LearningEventKind.self)))),
          title TEXT NOT NULL CHECK (length(title) > 0),
          created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE learning_session (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          event TEXT NOT NULL REFERENCES learning_event(id),
          held_on TEXT NOT NULL CHECK (held_on \(date)),
          place TEXT,
          link TEXT,
          CHECK (place IS NOT NULL OR link IS NOT NULL)
        ) STRICT;
        CREATE INDEX learning_session_by_event ON learning_session(event, held_on);

        CREATE TABLE registration (
          event TEXT NOT NULL REFERENCES learning_event(id),
          member TEXT NOT NULL REFERENCES member(id),
          registered_at INTEGER NOT NULL,
          PRIMARY KEY (event, member)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE attendance (
          session TEXT NOT NULL REFERENCES learning_session(id),
          member TEXT NOT NULL REFERENCES member(id),
          status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
          recorded_at INTEGER NOT NULL,
          recorded_by TEXT REFERENCES member(id),
          PRIMARY KEY (session, member)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX attendance_by_member ON attendance(member);

        CREATE TABLE module (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          space TEXT REFERENCES learning_space(id),
          competence TEXT NOT NULL CHECK (competence IN (\(codes(CompetenceKind.self)))),
          title TEXT NOT NULL CHECK (length(title) > 0),
          created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE module_criteria (
          module TEXT NOT NULL REFERENCES module(id),
          version INTEGER NOT NULL CHECK (version >= 1),
          criteria TEXT NOT NULL CHECK (json_valid(criteria) AND json_type(criteria) = 'object'),
          published_at INTEGER NOT NULL,
          PRIMARY KEY (module, version)
        ) STRICT, WITHOUT ROWID;
        CREATE TRIGGER module_criteria_is_append_only BEFORE UPDATE ON module_criteria
        BEGIN SELECT RAISE(ABORT, 'a version of criteria is never edited: publish a new one'); END;

        CREATE TABLE enrollment (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          module TEXT NOT NULL REFERENCES module(id),
          member TEXT NOT NULL REFERENCES member(id),
          criteria_version INTEGER NOT NULL,
          enrolled_at INTEGER NOT NULL,
          assignment TEXT CHECK (assignment IN (\(codes(AssignmentStatus.self)))),
          submission TEXT,
          review_note TEXT,
          reviewed_by TEXT REFERENCES member(id),
          assignment_on TEXT CHECK (assignment_on \(date)),
          completed_on TEXT CHECK (completed_on \(date)),
          recorded_on TEXT CHECK (recorded_on \(date)),
          competence TEXT REFERENCES competence(id),
          UNIQUE (module, member),
          FOREIGN KEY (module, criteria_version) REFERENCES module_criteria(module, version),
          CHECK ((assignment IS NULL) = (assignment_on IS NULL)),
          CHECK ((completed_on IS NULL) = (recorded_on IS NULL))
        ) STRICT;
        CREATE INDEX enrollment_by_member ON enrollment(member);

        ALTER TABLE competence ADD COLUMN enrollment TEXT REFERENCES enrollment(id);
        ALTER TABLE competence ADD COLUMN revoked_on TEXT CHECK (revoked_on \(date));
        ALTER TABLE competence ADD COLUMN revocation_reason TEXT;
        """
}
