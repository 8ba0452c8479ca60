import ArgumentParser
import CDSCore
import Testing

@testable import cds

#if canImport(Glibc)
import Glibc
#endif

/// The command line's types, run in-process: the options people type and what they answer.
@Suite("The command line")
struct CommandLineTests {
    /// A path no file has yet (random, in /tmp).
    static func missingPath() -> String { "/tmp/cds-cli-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite" }

    @Test("a mistyped --db answers no_such_database and creates no file")
    func typoCreatesNothing() throws {
        let path = Self.missingPath()
        var command = try CDSCommand.parseAsRoot(["member", "list", "--db", path])
        #expect {
            try command.run()
        } throws: { error in
            (error as? Failure)?.description == "error (no_such_database): no such database: \(path) (cds init \(path) creates one)"
        }
        #expect(access(path, F_OK) != 0)
    }

    @Test("cds init creates the database that the other commands then open")
    func initCreates() throws {
        let path = Self.missingPath()
        var create = try CDSCommand.parseAsRoot(["init", path])
        try create.run()
        #expect(access(path, F_OK) == 0)
        var list = try CDSCommand.parseAsRoot(["member", "list", "--db", path])
        try list.run()
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }

    @Test("a vocabulary option takes the core's codes, refuses others, and its help lists them")
    func vocabularies() throws {
        let add = try CDSCommand.parseAsRoot(["member", "add", "--name", "A", "--country", "FR", "--role", "adc", "--role", "local_actor"])
        #expect((add as? CDSCommand.Members.Add)?.roles == [.adc, .localActor])
        #expect(throws: (any Error).self) { try CDSCommand.parseAsRoot(["member", "list", "--role", "ambassador"]) }
        let help = CDSCommand.helpMessage(for: CDSCommand.Projects.List.self, columns: 1000)
        #expect(help.contains("(values: " + Stage.codes.joined(separator: ", ") + ")"))
    }

    @Test("a consent is PURPOSE:VERSION with a purpose of the core, checked before any call")
    func consents() throws {
        #expect(throws: (any Error).self) {
            try CDSCommand.parseAsRoot(["member", "add", "--name", "A", "--country", "FR", "--consent", "marketing:v1"])
        }
        let ok = try CDSCommand.parseAsRoot(["member", "add", "--name", "A", "--country", "FR", "--consent", "processing:2026-01"])
        #expect((ok as? CDSCommand.Members.Add)?.consentObjects == [["purpose": "processing", "version": "2026-01"]])
    }

    @Test("a quantity needs both --unit and --amount")
    func quantities() throws {
        #expect(throws: (any Error).self) {
            try CDSCommand.parseAsRoot(["need", "add", "--project", "prj_x", "--kind", "skill", "--description", "d", "--unit", "person_days"])
        }
        let need = try CDSCommand.parseAsRoot(["need", "add", "--project", "prj_x", "--kind", "skill", "--description", "d", "--unit", "money", "--amount", "500", "--currency", "MAD"])
        #expect((need as? CDSCommand.Needs.Add)?.quantity.json == ["unit": "money", "amount": 500, "currency": "MAD"])
    }

    @Test("amounts are grouped by thousands as French writes them, negative ones too")
    func grouping() {
        #expect(Format.grouped(1_250_000) == "1 250 000")
        #expect(Format.grouped(-1_000) == "-1 000")
        #expect(Format.grouped(Int64.min) == "-9 223 372 036 854 775 808")
        #expect(Format.money(["minor": -150, "currency": "MAD"]) == "-1,50 MAD")
    }

    @Test("a session is DAY=WHERE: a link when it holds ://, a place otherwise; anything else is refused before any call")
    func sessionSpecs() throws {
        #expect(SessionSpec("2026-02-10=https://visio.example.org/1")?.json == ["on": "2026-02-10", "link": "https://visio.example.org/1"])
        #expect(SessionSpec("2026-02-14=Tafraout")?.json == ["on": "2026-02-14", "place": "Tafraout"])
        #expect(SessionSpec("2026-02-14") == nil)
        #expect(SessionSpec("=Tafraout") == nil)
        #expect(throws: (any Error).self) { try CDSCommand.parseAsRoot(["learning-event", "create", "--kind", "webinar", "--title", "T", "--session", "2026-02-10"]) }
        #expect(throws: (any Error).self) { try CDSCommand.parseAsRoot(["learning-event", "create", "--kind", "seminar", "--title", "T"]) }
    }

    @Test("a module's criteria options are the criteria module.create takes, and a competence is a code of the core")
    func moduleCriteria() throws {
        let create = try CDSCommand.parseAsRoot(["module", "create", "--title", "M", "--competence", "communication", "--session", "ses_a", "--session", "ses_b",
                                                 "--max-missed", "1", "--assignment", "Une fiche"])
        #expect((create as? CDSCommand.Modules.Create)?.criteria.json == ["sessions": ["ses_a", "ses_b"], "max_missed": 1, "assignment": "Une fiche"])
        #expect(throws: (any Error).self) { try CDSCommand.parseAsRoot(["module", "create", "--title", "M", "--competence", "juggling"]) }
        let help = CDSCommand.helpMessage(for: CDSCommand.Modules.Create.self, columns: 1000)
        #expect(help.contains("(values: " + CompetenceKind.codes.joined(separator: ", ") + ")"))
    }

    @Test("the learning commands write through the library: a space created is listed, a bad review is the library's error")
    func learningCommands() throws {
        let path = Self.missingPath()
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        var create = try CDSCommand.parseAsRoot(["init", path])
        try create.run()
        var space = try CDSCommand.parseAsRoot(["space", "create", "--db", path, "--kind", "thematic", "--name", "Eau", "--theme", "water", "--language", "fr"])
        try space.run()
        let spaces = try Session.call(try Session.open(path), "space.list", [:])["items"]?.arrayValue ?? []
        #expect(spaces.count == 1 && spaces.first?["theme"] == "water")
        var review = try CDSCommand.parseAsRoot(["enrollment", "review", "--db", path, "enr_missing", "--status", "accepted"])
        #expect {
            try review.run()
        } throws: { error in
            (error as? Failure)?.code == "not_found"
        }
    }

    @Test("a typed amount reads into minor units exactly, with integers: at most 2 decimals, no sign, no exponent, within the bound")
    func amountsInMinorUnits() throws {
        for (text, minor) in [("150.00", Int64(15000)), ("150", 15000), ("150.5", 15050), ("0.01", 1), ("007.10", 710), ("0", 0),
                              ("10000000000000", Limits.amount), ("9999999999999.99", Limits.amount - 1)] {
            #expect(try Amount.minor(text, option: "amount") == minor, "\(text)")
        }
        for text in ["10.005", "-1", "+1", "1e5", "1,50", "", ".5", "5.", "1.2.3", " 1", "١٥٠", "10000000000000.01", "99999999999999999999999"] {
            #expect(throws: ValidationError.self, "\(text)") { try Amount.minor(text, option: "amount") }
        }
        let pledge = try CDSCommand.parseAsRoot(["gift", "pledge", "--campaign", "cmp_x", "--member", "mbr_x", "--amount", "150.05", "--currency", "EUR"])
        #expect(try (pledge as? CDSCommand.Gifts.Pledge)?.money.json() == ["minor": 15005, "currency": "EUR"])
        #expect(throws: (any Error).self) {
            try CDSCommand.parseAsRoot(["gift", "pledge", "--campaign", "cmp_x", "--member", "mbr_x", "--amount", "150.005", "--currency", "EUR"])
        }
        let pool = try CDSCommand.parseAsRoot(["pool", "create", "--organization", "org_x", "--name", "A", "--campaign", "cmp_x", "--amount", "300", "--currency", "MAD",
                                              "--rate-bp", "10000", "--tier", "50.00:20000", "--cap-per-donor", "200.5", "--opens-on", "2026-06-01", "--closes-on", "2026-06-30"])
        let p = try #require(try (pool as? CDSCommand.Pools.Create)?.params())
        #expect(p["cap_per_donor"] == 20050 && p["tiers"] == [["up_to": 5000, "rate_bp": 20000]] && p["amount"] == ["minor": 30000, "currency": "MAD"])
    }

    @Test("a long command's progress line: a bar with the share and the megabytes when the size is known, a count of rows when it is not")
    func progressLines() {
        #expect(Format.progress("importing members.csv", done: 7_340_032, total: 12_582_912, unit: .bytes) == "importing members.csv ██████░░░░ 58 % (7,0 of 12,0 MB)")
        #expect(Format.progress("importing members.csv", done: 12_582_912, total: 12_582_912, unit: .bytes).contains("██████████ 100 %"))
        #expect(Format.progress("exporting members", done: 12_000, total: nil, unit: .rows) == "exporting members: 12 000 rows")
        #expect(Format.progress("importing empty.csv", done: 0, total: 0, unit: .bytes) == "importing empty.csv: 0 bytes")
        #expect(Format.progress("importing big.csv", done: 20, total: 10, unit: .bytes).contains("100 %"), "never over 100 %")
        #expect(Format.megabytes(0) == "0,0" && Format.megabytes(1_048_576) == "1,0" && Format.megabytes(1_572_864) == "1,5")
    }
}
