import CDSCore

extension Store {
    /// Solidarity finance: co-financing programmes (each definition a new version, none
    /// deleted), the CDS's valuation and exchange rates, campaigns, their gifts, matching
    /// pools and the matches they applied. Campaigns, gifts and pools are documents with
    /// the columns their queries need.
    static let schemaFinance = """
        CREATE TABLE programme (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL CHECK (length(id) BETWEEN 2 AND 40),
          version INTEGER NOT NULL CHECK (version >= 1),
          builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),
          doc TEXT NOT NULL CHECK (json_valid(doc)),
          defined_at INTEGER NOT NULL,
          UNIQUE (id, version)
        ) STRICT;

        CREATE TABLE valuation_rate (
          seq INTEGER PRIMARY KEY,
          key TEXT NOT NULL,
          from_on TEXT NOT NULL,
          doc TEXT NOT NULL CHECK (json_valid(doc)),
          set_at INTEGER NOT NULL,
          UNIQUE (key, from_on)
        ) STRICT;

        CREATE TABLE exchange_rate (
          seq INTEGER PRIMARY KEY,
          from_currency TEXT NOT NULL CHECK (length(from_currency) = 3),
          to_currency TEXT NOT NULL CHECK (length(to_currency) = 3),
          on_day TEXT NOT NULL,
          micro_rate INTEGER NOT NULL CHECK (micro_rate > 0),
          set_at INTEGER NOT NULL,
          UNIQUE (from_currency, to_currency, on_day),
          CHECK (from_currency != to_currency)
        ) STRICT;

        CREATE TABLE campaign (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          project TEXT NOT NULL REFERENCES project(id),
          need TEXT REFERENCES need(id),
          status TEXT NOT NULL,
          doc TEXT NOT NULL CHECK (json_valid(doc)),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX campaign_by_project ON campaign(project);

        CREATE TABLE gift (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          campaign TEXT NOT NULL REFERENCES campaign(id),
          member TEXT REFERENCES member(id),
          organization TEXT REFERENCES organization(id),
          status TEXT NOT NULL,
          doc TEXT NOT NULL CHECK (json_valid(doc)),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          CHECK ((member IS NULL) != (organization IS NULL))
        ) STRICT;
        CREATE INDEX gift_by_campaign ON gift(campaign, status);
        CREATE INDEX gift_by_member ON gift(member) WHERE member IS NOT NULL;

        CREATE TABLE pool (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          campaign TEXT REFERENCES campaign(id),
          project TEXT REFERENCES project(id),
          doc TEXT NOT NULL CHECK (json_valid(doc)),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX pool_by_campaign ON pool(campaign);
        CREATE INDEX pool_by_project ON pool(project);
        """
}
