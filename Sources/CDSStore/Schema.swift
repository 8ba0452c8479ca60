import CDSCore
import GRDB

extension Store {
    /// The migrations, in order. Never edit a shipped migration: add one.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1-foundation") { db in
            try db.execute(sql: schemaV1)
        }
        m.registerMigration("v2-projects") { db in
            try db.execute(sql: schemaV2)
        }
        m.registerMigration("v3-erasure") { db in
            try db.execute(sql: schemaV3)
        }
        m.registerMigration("v4-contributions") { db in
            try db.execute(sql: schemaV4)
        }
        m.registerMigration("v5-indicator-targets") { db in
            try db.execute(sql: "CREATE TABLE indicator_target (id TEXT PRIMARY KEY, target REAL NOT NULL CHECK (target >= 0)) STRICT")
        }
        m.registerMigration("v6-event-subject-type") { db in
            try db.execute(sql: "CREATE INDEX event_by_subject_type ON event(subject, type)")
        }
        m.registerMigration("v7-offers") { db in
            try db.execute(sql: schemaV7)
        }
        m.registerMigration("v8-matches") { db in
            try db.execute(sql: schemaV8)
        }
        m.registerMigration("v9-external-refs") { db in
            try db.execute(sql: schemaV9)
        }
        m.registerMigration("v10-mobilization") { db in
            try db.execute(sql: Store.schemaMobilization)
        }
        m.registerMigration("v11-learning") { db in
            try db.execute(sql: Store.schemaLearning)
        }
        m.registerMigration("v12-finance") { db in
            try db.execute(sql: Store.schemaFinance)
        }
        m.registerMigration("v13-engine-snapshots") { db in
            try db.execute(sql: Store.schemaSnapshots)
        }
        return m
    }()

    func migrate(readOnly: Bool) throws(CDSError) {
        do {
            let superseded = try writer.read { db in try Store.migrator.hasBeenSuperseded(db) }
            if superseded {
                throw CDSError(.storage, "the database was written by a newer version of CDS core: upgrade the library to open it")
            }
            if readOnly {
                let complete = try writer.read { db in try Store.migrator.hasCompletedMigrations(db) }
                guard complete else { throw CDSError(.storage, "the read-only database is not a migrated CDS database") }
                return
            }
            try Store.migrator.migrate(writer)
            try writer.write { db in
                try ReferenceData.load(db)
                try Store.loadBuiltinProgrammes(db, at: Instant(millisecondsSinceEpoch: 0))
            }
        } catch {
            throw Store.translate(error)
        }
    }
}

private let date = "GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"

private let schemaV1 = """
    CREATE TABLE reference_version (
      dataset TEXT PRIMARY KEY,
      version INTEGER NOT NULL CHECK (version > 0)
    ) STRICT;

    CREATE TABLE territory (
      code TEXT PRIMARY KEY,
      level TEXT NOT NULL CHECK (level IN ('region', 'province', 'commune')),
      parent TEXT REFERENCES territory(code),
      name_fr TEXT NOT NULL,
      name_ar TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('region', 'province', 'prefecture', 'urban', 'rural')),
      population INTEGER CHECK (population >= 0),
      former_region_smd INTEGER NOT NULL CHECK (former_region_smd IN (0, 1)),
      iso_3166_2 TEXT,
      search TEXT NOT NULL,
      CHECK ((level = 'region') = (parent IS NULL))
    ) STRICT;
    CREATE INDEX territory_by_parent ON territory(parent, code);

    CREATE TABLE reference_item (
      dataset TEXT NOT NULL,
      code TEXT NOT NULL,
      parent TEXT,
      level TEXT,
      label_en TEXT,
      label_fr TEXT,
      label_ar TEXT,
      extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
      search TEXT NOT NULL,
      PRIMARY KEY (dataset, code)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE event (
      seq INTEGER PRIMARY KEY,
      recorded_at INTEGER NOT NULL,
      occurred_at INTEGER NOT NULL,
      actor TEXT,
      type TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
      subject TEXT NOT NULL,
      payload TEXT NOT NULL CHECK (json_valid(payload)),
      payload_hash TEXT NOT NULL CHECK (length(payload_hash) = 64),
      prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
      hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
    ) STRICT;
    CREATE INDEX event_by_subject ON event(subject, seq);
    CREATE INDEX event_by_type ON event(type, seq);
    CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER event_is_append_only_delete BEFORE DELETE ON event
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

    CREATE TABLE organization (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('commune', 'provincial_council', 'regional_council', 'local_association',
        'cooperative', 'ngo', 'enterprise', 'public_agency', 'diaspora_association', 'funder', 'facilitator')),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      country TEXT NOT NULL CHECK (length(country) = 2),
      territory TEXT REFERENCES territory(code),
      city TEXT,
      email TEXT,
      website TEXT,
      sectors TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sectors) AND json_type(sectors) = 'array'),
      search TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      CHECK (kind NOT IN ('commune', 'provincial_council', 'regional_council') OR (territory IS NOT NULL AND country = 'MA'))
    ) STRICT;
    CREATE UNIQUE INDEX organization_one_council_per_territory ON organization(kind, territory)
      WHERE kind IN ('commune', 'provincial_council', 'regional_council');
    CREATE INDEX organization_by_territory ON organization(territory);

    CREATE TABLE member (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      email TEXT,
      phone TEXT,
      gender TEXT NOT NULL CHECK (gender IN ('f', 'm', 'x', 'undisclosed')),
      residence_country TEXT NOT NULL CHECK (length(residence_country) = 2),
      residence_city TEXT,
      origin TEXT REFERENCES territory(code),
      heart_diaspora INTEGER NOT NULL DEFAULT 0 CHECK (heart_diaspora IN (0, 1)),
      adc_commune TEXT REFERENCES territory(code),
      invited_by TEXT REFERENCES member(id),
      search TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX member_by_origin ON member(origin);
    CREATE INDEX member_by_country ON member(residence_country);
    CREATE INDEX member_by_adc_commune ON member(adc_commune) WHERE adc_commune IS NOT NULL;
    CREATE UNIQUE INDEX member_email ON member(email) WHERE email IS NOT NULL;

    CREATE TABLE member_role (
      member TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('diaspora', 'adc', 'local_actor', 'facilitator', 'admin')),
      position INTEGER NOT NULL,
      PRIMARY KEY (member, role)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX member_role_by_role ON member_role(role, member);

    CREATE TABLE member_language (
      member TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
      language TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (member, language)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX member_language_by_language ON member_language(language, member);

    CREATE TABLE member_skill (
      member TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
      skill TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (member, skill)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX member_skill_by_skill ON member_skill(skill, member);

    CREATE TABLE membership (
      member TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
      organization TEXT NOT NULL REFERENCES organization(id),
      role TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (member, organization)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX membership_by_organization ON membership(organization, member);

    CREATE TABLE consent (
      member TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
      purpose TEXT NOT NULL CHECK (purpose IN ('processing', 'contact', 'publication')),
      version TEXT NOT NULL,
      given_at INTEGER NOT NULL,
      withdrawn_at INTEGER CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at),
      PRIMARY KEY (member, purpose)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE competence (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      member TEXT NOT NULL REFERENCES member(id),
      competence TEXT NOT NULL,
      attested_on TEXT NOT NULL CHECK (attested_on \(date)),
      attested_by TEXT REFERENCES member(id),
      module TEXT,
      UNIQUE (member, competence, attested_on)
    ) STRICT;
    CREATE INDEX competence_by_member ON competence(member, competence);

    CREATE TABLE agreement (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      organization TEXT NOT NULL REFERENCES organization(id),
      signed_on TEXT NOT NULL CHECK (signed_on \(date)),
      ends_on TEXT CHECK (ends_on IS NULL OR (ends_on \(date) AND ends_on >= signed_on)),
      ended_on TEXT CHECK (ended_on IS NULL OR (ended_on \(date) AND ended_on >= signed_on)),
      end_reason TEXT,
      reference TEXT
    ) STRICT;
    CREATE INDEX agreement_by_organization ON agreement(organization, signed_on);
    """

private let stages = Stage.codes.map { "'\($0)'" }.joined(separator: ", ")
private let kinds = ResourceKind.codes.map { "'\($0)'" }.joined(separator: ", ")
private let needStatuses = NeedStatus.codes.map { "'\($0)'" }.joined(separator: ", ")

private let schemaV2 = """
    CREATE TABLE project (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 100),
      stage TEXT NOT NULL CHECK (stage IN (\(stages))),
      sector TEXT,
      adc TEXT REFERENCES member(id),
      lead_organization TEXT REFERENCES organization(id),
      doc TEXT NOT NULL CHECK (json_valid(doc)),
      search TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX project_by_stage ON project(stage, seq);
    CREATE INDEX project_by_sector ON project(sector, seq);

    CREATE TABLE project_commune (
      project TEXT NOT NULL REFERENCES project(id),
      commune TEXT NOT NULL REFERENCES territory(code),
      PRIMARY KEY (project, commune)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX project_commune_by_commune ON project_commune(commune, project);

    CREATE TABLE need (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      project TEXT NOT NULL REFERENCES project(id),
      kind TEXT NOT NULL CHECK (kind IN (\(kinds))),
      status TEXT NOT NULL CHECK (status IN (\(needStatuses))),
      critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
      doc TEXT NOT NULL CHECK (json_valid(doc)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX need_by_project ON need(project, status);
    CREATE INDEX need_by_status ON need(status, kind);

    CREATE TABLE need_skill (
      need TEXT NOT NULL REFERENCES need(id),
      skill TEXT NOT NULL,
      PRIMARY KEY (need, skill)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX need_skill_by_skill ON need_skill(skill, need);
    """

/// Erasure (GDPR art. 17): a member row keeps only what indicators count, and the log's
/// payloads about her can be redacted: the payload changes, its hash stays, so the chain
/// still verifies. Nothing else of an event may ever change.
private let schemaV3 = """
    ALTER TABLE member ADD COLUMN erased_at INTEGER;
    ALTER TABLE event ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0 CHECK (redacted IN (0, 1));
    DROP TRIGGER event_is_append_only_update;
    CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
      WHEN NEW.seq IS NOT OLD.seq OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.occurred_at IS NOT OLD.occurred_at
        OR NEW.actor IS NOT OLD.actor OR NEW.type IS NOT OLD.type OR NEW.subject IS NOT OLD.subject
        OR NEW.payload_hash IS NOT OLD.payload_hash OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
        OR NEW.redacted IS NOT 1
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only: only an erasure redacts a payload'); END;
    """

private let contributionStatuses = ContributionStatus.codes.map { "'\($0)'" }.joined(separator: ", ")
private let interactionKinds = InteractionKind.codes.map { "'\($0)'" }.joined(separator: ", ")

private let schemaV4 = """
    CREATE TABLE contribution (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      project TEXT NOT NULL REFERENCES project(id),
      need TEXT REFERENCES need(id),
      member TEXT REFERENCES member(id),
      organization TEXT REFERENCES organization(id),
      kind TEXT NOT NULL CHECK (kind IN (\(kinds))),
      status TEXT NOT NULL CHECK (status IN (\(contributionStatuses))),
      doc TEXT NOT NULL CHECK (json_valid(doc)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      CHECK ((member IS NULL) != (organization IS NULL))
    ) STRICT;
    CREATE INDEX contribution_by_project ON contribution(project, status);
    CREATE INDEX contribution_by_need ON contribution(need) WHERE need IS NOT NULL;
    CREATE INDEX contribution_by_member ON contribution(member) WHERE member IS NOT NULL;
    CREATE INDEX contribution_by_organization ON contribution(organization) WHERE organization IS NOT NULL;

    CREATE TABLE interaction (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN (\(interactionKinds))),
      on_day TEXT NOT NULL,
      member TEXT REFERENCES member(id),
      diaspora_organization TEXT REFERENCES organization(id),
      organization TEXT NOT NULL REFERENCES organization(id),
      local_member TEXT REFERENCES member(id),
      project TEXT REFERENCES project(id),
      doc TEXT NOT NULL CHECK (json_valid(doc)),
      created_at INTEGER NOT NULL,
      CHECK ((member IS NULL) != (diaspora_organization IS NULL))
    ) STRICT;
    CREATE INDEX interaction_by_organization ON interaction(organization, on_day);
    CREATE INDEX interaction_by_member ON interaction(member) WHERE member IS NOT NULL;
    """

private let offerStatuses = OfferStatus.codes.map { "'\($0)'" }.joined(separator: ", ")

private let schemaV7 = """
    CREATE TABLE offer (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      member TEXT REFERENCES member(id),
      organization TEXT REFERENCES organization(id),
      kind TEXT NOT NULL CHECK (kind IN (\(kinds))),
      status TEXT NOT NULL CHECK (status IN (\(offerStatuses))),
      doc TEXT NOT NULL CHECK (json_valid(doc)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      CHECK ((member IS NULL) != (organization IS NULL))
    ) STRICT;
    CREATE INDEX offer_by_member ON offer(member) WHERE member IS NOT NULL;
    CREATE INDEX offer_by_status ON offer(status, kind);
    CREATE TABLE offer_skill (
      offer TEXT NOT NULL REFERENCES offer(id),
      skill TEXT NOT NULL,
      PRIMARY KEY (offer, skill)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX offer_skill_by_skill ON offer_skill(skill, offer);
    """

private let matchStatuses = MatchStatus.codes.map { "'\($0)'" }.joined(separator: ", ")

private let schemaV8 = """
    CREATE TABLE match (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      need TEXT NOT NULL REFERENCES need(id),
      offer TEXT NOT NULL REFERENCES offer(id),
      member TEXT REFERENCES member(id),
      organization TEXT REFERENCES organization(id),
      status TEXT NOT NULL CHECK (status IN (\(matchStatuses))),
      contribution TEXT REFERENCES contribution(id),
      doc TEXT NOT NULL CHECK (json_valid(doc)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (need, offer),
      CHECK ((member IS NULL) != (organization IS NULL)),
      CHECK ((status = 'accepted') = (contribution IS NOT NULL))
    ) STRICT;
    CREATE INDEX match_by_offer ON match(offer, status);
    CREATE INDEX match_by_member ON match(member) WHERE member IS NOT NULL;
    CREATE INDEX match_by_status ON match(status);
    CREATE TABLE setting (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value))
    ) STRICT;
    """

/// External keys: an organization's IATI identifier, and the `ref` of each row a CSV import
/// created, by entity, so that importing the same file again updates instead of duplicating.
private let schemaV9 = """
    ALTER TABLE organization ADD COLUMN iati_ref TEXT CHECK (iati_ref IS NULL OR length(iati_ref) BETWEEN 5 AND 100);
    CREATE TABLE external_ref (
      entity TEXT NOT NULL CHECK (entity IN ('member', 'organization', 'offer', 'need', 'project')),
      ref TEXT NOT NULL CHECK (length(ref) BETWEEN 1 AND 100),
      id TEXT NOT NULL,
      PRIMARY KEY (entity, ref)
    ) STRICT, WITHOUT ROWID;
    CREATE UNIQUE INDEX external_ref_by_id ON external_ref(entity, id);
    """
