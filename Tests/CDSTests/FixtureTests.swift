import CDS
import CDSCore
import Foundation
import Testing

/// A database written by release 0.1.0 (main at 81cf3ee, `cds-cli demo`) and that release's
/// answers to 93 read calls on it (Fixtures/record.py): today's code must open it, migrate it,
/// verify its chain and answer the same.
@Suite("A database of release 0.1.0")
struct FixtureTests {
    /// The recorded calls: method, params and the answer of 0.1.0.
    struct Recorded {
        var method: String
        var params: JSON
        var answer: JSON
    }

    /// The fixture folder, copied into the test bundle.
    static var fixtures: URL {
        get throws {
            try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "the test bundle holds the Fixtures folder")
        }
    }

    /// The recorded calls and the instant they were made (`exported_at` of `member.export`).
    static func recorded() throws -> (calls: [Recorded], at: Instant) {
        let text = try String(contentsOf: fixtures.appendingPathComponent("release-0.1.0.answers.json"), encoding: .utf8)
        let calls = try #require(try JSON.parse(text)["calls"]?.arrayValue).map { c in
            Recorded(method: c["method"]?.stringValue ?? "", params: c["params"] ?? .null, answer: c["answer"] ?? .null)
        }
        let export = try #require(calls.first { $0.method == "member.export" })
        let at = try #require(export.answer["result"]?["exported_at"]?.stringValue.flatMap(Instant.init))
        return (calls, at)
    }

    /// The fixture, copied to a temporary folder (opening migrates it), with the clock of the recording.
    static func open(now: Instant) throws -> (TempDB, CDSDatabase) {
        let tmp = TempDB()
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("release-0.1.0.sqlite"), to: URL(fileURLWithPath: tmp.path))
        return (tmp, try tmp.open(try OpenOptions(json: ["now": .string(now.description), "trusted": true])))
    }

    @Test("a database written by release 0.1.0 opens, migrates and its event chain verifies")
    func opensAndVerifies() throws {
        let (calls, at) = try Self.recorded()
        #expect(calls.count == 93)
        let (tmp, db) = try Self.open(now: at)
        _ = tmp
        let audit = try db.ok("audit.verify")
        #expect(audit["ok"] == .bool(true))
        #expect(audit["events"] == calls.first { $0.method == "audit.verify" }?.answer["result"]?["events"])
        let fresh = try CDSDatabase(path: ":memory:", options: .trusted)
        #expect(try db.ok("meta.version")["schema"] == fresh.ok("meta.version")["schema"], "migrated to today's schema")
    }

    @Test("a database of release 0.1.0 answers its 93 recorded read calls as that release did")
    func answersAsRecorded() throws {
        let (calls, at) = try Self.recorded()
        let (tmp, db) = try Self.open(now: at)
        _ = tmp
        for c in calls {
            let answer = try JSON.parse(db.call(c.method, c.params.text).text)
            let diffs = Self.differences(Self.normalized(c.answer), Self.normalized(answer), at: c.method)
            #expect(diffs.isEmpty, Comment(rawValue: "\(c.method) \(c.params.text.prefix(120)) differs from 0.1.0:\n" + diffs.prefix(8).joined(separator: "\n")))
        }
    }

    @Test("the comparison of answers sees a changed value, a missing key and a reordered list")
    func comparisonSeesDifferences() {
        let a: JSON = ["x": 1, "list": [1, 2], "ids": ["b", "a"]]
        #expect(Self.differences(Self.normalized(a), Self.normalized(["list": [1, 2], "x": 1, "ids": ["a", "b"]]), at: "").isEmpty)
        #expect(!Self.differences(Self.normalized(a), Self.normalized(["x": 2, "list": [1, 2], "ids": ["a", "b"]]), at: "").isEmpty)
        #expect(!Self.differences(Self.normalized(a), Self.normalized(["list": [1, 2], "ids": ["a", "b"]]), at: "").isEmpty)
        #expect(!Self.differences(Self.normalized(a), Self.normalized(["x": 1, "list": [2, 1], "ids": ["a", "b"]]), at: "").isEmpty)
        #expect(!Self.differences(Self.normalized(a), Self.normalized(["x": 1, "list": [1, 2], "ids": ["a", "c"]]), at: "").isEmpty)
    }

    /// The answer with every provenance list (`ids`) sorted: release 0.1.0 listed the ids of
    /// median_days_idea_to_ready with ties in hash order, which changes from run to run.
    static func normalized(_ j: JSON) -> JSON {
        switch j {
        case .array(let a): return .array(a.map(normalized))
        case .object(let o):
            var out = JSONObject()
            for (k, v) in o {
                if k == "ids", let ids = v.arrayValue {
                    out[k] = .array(ids.map(normalized).sorted { $0.text < $1.text })
                } else {
                    out[k] = normalized(v)
                }
            }
            return .object(out)
        default: return j
        }
    }

    /// Where two answers differ, as paths (objects compared by key, in any order).
    static func differences(_ a: JSON, _ b: JSON, at path: String) -> [String] {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            var out: [String] = []
            for k in Set(x.keys).union(y.keys).sorted() {
                switch (x[k], y[k]) {
                case (let v?, let w?): out += differences(v, w, at: path + "." + k)
                case (let v?, nil): out.append("\(path).\(k): 0.1.0 answered \(v.text.prefix(200)), now missing")
                case (nil, let w?): out.append("\(path).\(k): now \(w.text.prefix(200)), missing in 0.1.0")
                case (nil, nil): break
                }
            }
            return out
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return ["\(path): \(x.count) items in 0.1.0, now \(y.count)"] }
            return zip(x, y).enumerated().flatMap { n, p in differences(p.0, p.1, at: "\(path)[\(n)]") }
        default:
            return a == b ? [] : ["\(path): 0.1.0 answered \(a.text.prefix(200)), now \(b.text.prefix(200))"]
        }
    }
}
