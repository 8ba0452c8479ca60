import CDSCore
import CDSStore

enum MetaMethods {
    static let all: [Method] = [
        Method("meta.version", "The library's version, its C ABI version and the database's schema level.", []) { c throws(CDSError) in
            ["version": .string(CDSDatabase.version), "abi": .int(Int64(CDSDatabase.abiVersion)), "schema": .int(Int64(try c.db.store.schemaLevel()))]
        },
        Method("meta.methods", "Every method with its summary, the JSON Schema of its params and who may call it (access).", []) { _ in methods },
    ]

    /// The answer of `meta.methods`, made once: the method table does not change while the library runs.
    static let methods: JSON = ["methods": .array(MethodTable.all.map { m in
        ["name": .string(m.name), "summary": .string(m.summary), "mutating": .bool(m.mutating), "params": m.schema.jsonSchema, "access": m.access.json]
    })]
}

enum ReferenceMethods {
    /// Vocabularies of the core served like reference datasets.
    static let vocabularies: [String: [(code: String, labels: Labels)]] = [
        "roles": Role.allCases.map { ($0.rawValue, $0.labels) },
        "genders": Gender.allCases.map { ($0.rawValue, $0.labels) },
        "organization_kinds": OrganizationKind.allCases.map { ($0.rawValue, $0.labels) },
        "competences": CompetenceKind.allCases.map { ($0.rawValue, $0.labels) },
        "consent_purposes": ConsentPurpose.allCases.map { ($0.rawValue, $0.labels) },
        "territory_levels": TerritoryLevel.allCases.map { ($0.rawValue, $0.labels) },
        "stages": Stage.allCases.map { ($0.rawValue, $0.labels) },
        "requirements": Requirement.allCases.map { ($0.rawValue, $0.labels) },
        "partner_roles": PartnerRole.allCases.map { ($0.rawValue, $0.labels) },
        "budget_categories": BudgetCategory.allCases.map { ($0.rawValue, $0.labels) },
        "resource_kinds": ResourceKind.allCases.map { ($0.rawValue, $0.labels) },
        "need_statuses": NeedStatus.allCases.map { ($0.rawValue, $0.labels) },
        "contribution_statuses": ContributionStatus.allCases.map { ($0.rawValue, $0.labels) },
        "interaction_kinds": InteractionKind.allCases.map { ($0.rawValue, $0.labels) },
        "offer_statuses": OfferStatus.allCases.map { ($0.rawValue, $0.labels) },
        "source_origins": SourceOrigin.allCases.map { ($0.rawValue, $0.labels) },
        "campaign_models": CampaignModel.allCases.map { ($0.rawValue, $0.labels) },
        "campaign_statuses": CampaignStatus.allCases.map { ($0.rawValue, $0.labels) },
        "gift_statuses": GiftStatus.allCases.map { ($0.rawValue, $0.labels) },
        "match_limits": MatchLimit.allCases.map { ($0.rawValue, $0.labels) },
    ]
    static let datasets = ReferenceData.itemDatasets + vocabularies.keys.sorted()

    static let all: [Method] = [
        Method("territory.get", "A territory of Morocco by its HCP code (region, province or commune).",
               [.init("code", .string(maxLength: 20), required: true, "dotted HCP code, e.g. 09.541.11.33")]) { c throws(CDSError) in
            try c.db.store.territory(try c.params.requiredString("code")).json
        },
        Method("territory.list", "Territories by level, parent and name, ordered by code.",
               [.init("level", .vocabulary(TerritoryLevel.self), "region, province or commune"),
                .init("parent", .string(maxLength: 20), "the parent's code: the communes of 09.541 are those whose parent is 09.541"),
                Paging.query, Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let page = try c.db.store.territories(level: try p.term("level", TerritoryLevel.self), parent: p.string("parent"), query: p.string("q"),
                                                  limit: p.limit, cursor: p.string("cursor"))
            return Paging.json(page) { $0.json }
        },
        Method("reference.list", "Entries of a reference dataset (sectors, skills, countries, currencies, languages…) or vocabulary.",
               [.init("dataset", .string(maxLength: 64, values: datasets), required: true, "which list"),
                .init("parent", .string(maxLength: 64), "only the children of this code (skills, DAC sectors)"),
                Paging.query, Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let dataset = try p.requiredString("dataset")
            if let vocab = vocabularies[dataset] {
                let q = p.string("q").map(Text.fold)
                let items = vocab.filter { v in
                    q.map { q in [v.code, v.labels.fr, v.labels.ar, v.labels.en].contains { Text.fold($0).contains(q) } } ?? true
                }
                return ["items": .array(items.map { ["code": .string($0.code), "label": .string($0.labels.label(c.locale)), "labels": $0.labels.json] }),
                        "next_cursor": .null]
            }
            let page = try c.db.store.referenceItems(dataset: dataset, query: p.string("q"), parent: p.string("parent"), limit: p.limit, cursor: p.string("cursor"))
            return Paging.json(page) { $0.json(c.locale) }
        },
    ]
}

enum EventMethods {
    static let all: [Method] = [
        Method("event.list", "The event log, oldest first: every change with its actor, times and payload.",
               [.init("subject", .id, "only events about this id or code"), .init("type", .string(maxLength: 100), "only this type, e.g. member.created"),
                .init("after", .integer(min: 0), "only events after this sequence number"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let after = max(p.int("after") ?? 0, try p.sequenceCursor())
            return Paging.json(try c.db.store.events(subject: p.string("subject"), type: p.string("type"), after: after, limit: p.limit)) { $0.json }
        },
        Method("audit.verify", "Checks the hash chain of the event log and names the first broken link, if any.", []) { c throws(CDSError) in
            try c.db.store.verifyAuditChain().json
        },
    ]
}
