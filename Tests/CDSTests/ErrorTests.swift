import CDS
import CDSCore
import PropertyBased
import Testing

@Suite("Bad input answers a clear error and changes nothing")
struct ErrorTests {
    let db: CDSDatabase
    init() throws { db = try CDSDatabase(path: ":memory:", options: .trusted) }

    /// Calls, expects an error with `code` (and `field`), and checks the event log did not move.
    func refuses(_ method: String, _ params: String?, code: String, field: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try db.eventCount()
        let members = try db.ok("member.list", #"{"limit": 1000}"#)["items"]?.arrayValue?.count
        let answer = db.call(method, params)
        #expect(!answer.ok, sourceLocation: sourceLocation)
        let e = try JSON.parse(answer.text)["error"]
        #expect(e?["code"]?.stringValue == code, "\(answer.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(e?["message"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        if let field { #expect(e?["details"]?["field"]?.stringValue == field, "\(answer.text.prefix(300))", sourceLocation: sourceLocation) }
        #expect(try db.eventCount() == before, "nothing is logged", sourceLocation: sourceLocation)
        #expect(try db.ok("member.list", #"{"limit": 1000}"#)["items"]?.arrayValue?.count == members, "nothing is stored", sourceLocation: sourceLocation)
    }

    let valid = #""name": "A", "gender": "f", "roles": ["diaspora"], "residence_country": "FR""#

    @Test("malformed JSON is invalid_json")
    func malformed() throws {
        try refuses("member.create", #"{"name": "A""#, code: "invalid_json")
        try refuses("member.create", "{'name': 'A'}", code: "invalid_json")
        try refuses("member.create", "", code: "invalid_json")
    }

    @Test("an unknown method is unknown_method")
    func unknownMethod() throws {
        try refuses("member.destroy", "{}", code: "unknown_method")
        try refuses("", "{}", code: "unknown_method")
    }

    @Test("an unknown field is refused, not ignored: a typo must not lose data")
    func unknownField() throws {
        try refuses("member.create", "{\(valid), \"residence_cty\": \"Lyon\"}", code: "invalid_params", field: "residence_cty")
        try refuses("member.create", "{\(valid), \"organizations\": [{\"organization\": \"x\", \"role\": \"r\", \"rank\": 1}]}", code: "invalid_params", field: "organizations[0].rank")
    }

    @Test("a mistyped field names the field and the type expected")
    func mistyped() throws {
        try refuses("member.create", #"{"name": 42, "gender": "f", "roles": ["diaspora"], "residence_country": "FR"}"#, code: "invalid_params", field: "name")
        try refuses("member.create", "{\(valid), \"heart_diaspora\": \"yes\"}", code: "invalid_params", field: "heart_diaspora")
        try refuses("member.create", #"{"name": "A", "gender": "f", "roles": "diaspora", "residence_country": "FR"}"#, code: "invalid_params", field: "roles")
        try refuses("member.create", #"["A"]"#, code: "invalid_params", field: "params")
        try refuses("member.list", #"{"limit": 5.5}"#, code: "invalid_params", field: "limit")
    }

    @Test("values outside their domain are refused")
    func domain() throws {
        try refuses("member.create", #"{"name": "A", "gender": "w", "roles": ["diaspora"], "residence_country": "FR"}"#, code: "invalid_params", field: "gender")
        try refuses("member.create", #"{"name": "A", "gender": "f", "roles": [], "residence_country": "FR"}"#, code: "invalid_params", field: "roles")
        try refuses("member.create", #"{"name": "  ", "gender": "f", "roles": ["diaspora"], "residence_country": "FR"}"#, code: "invalid_params", field: "name")
        try refuses("member.create", #"{"name": "A", "gender": "f", "roles": ["diaspora"], "residence_country": "XX"}"#, code: "invalid_params", field: "residence_country")
        try refuses("member.create", "{\(valid), \"languages\": [\"klingon\"]}", code: "invalid_params", field: "languages")
        try refuses("member.create", "{\(valid), \"skills\": [\"9999\"]}", code: "invalid_params", field: "skills")
        try refuses("member.create", "{\(valid), \"email\": \"not-an-address\"}", code: "invalid_params", field: "email")
        try refuses("member.create", "{\(valid), \"at\": \"yesterday\"}", code: "invalid_params", field: "at")
        try refuses("member.create", "{\(valid), \"actor\": \"mbr_nobody\"}", code: "invalid_params", field: "actor")
        try refuses("agreement.sign", #"{"organization": "org_x", "signed_on": "2026-02-30"}"#, code: "invalid_params", field: "signed_on")
    }

    @Test("an unknown territory code is refused where it is used")
    func unknownTerritory() throws {
        try refuses("member.create", "{\(valid), \"origin\": \"09.999.99.99\"}", code: "invalid_params", field: "origin")
        try refuses("territory.list", #"{"parent": "42"}"#, code: "invalid_params", field: "parent")
        try refuses("territory.get", #"{"code": "42"}"#, code: "not_found")
    }

    @Test("a negative or oversized count is refused", arguments: ["-1", "0", "1001", "1000000000000"])
    func badLimit(_ n: String) throws {
        try refuses("member.list", #"{"limit": \#(n)}"#, code: "invalid_params", field: "limit")
    }

    @Test("a 10 MB string is refused with the field named")
    func hugeString() throws {
        let big = String(repeating: "x", count: 10 * 1024 * 1024)
        try refuses("member.create", #"{"name": "\#(big)", "gender": "f", "roles": ["diaspora"], "residence_country": "FR"}"#, code: "invalid_params", field: "name")
    }

    @Test("params larger than the door's limit are refused before parsing")
    func hugeParams() throws {
        let big = String(repeating: " ", count: CDSDatabase.maxParamsBytes + 1)
        try refuses("member.list", "{}" + big, code: "invalid_json")
    }

    @Test("a failure late in a write leaves no half-written member")
    func atomicity() throws {
        try refuses("member.create", "{\(valid), \"organizations\": [{\"organization\": \"org_missing\", \"role\": \"president\"}]}", code: "invalid_params", field: "organizations")
        let id = try db.diaspora("B")
        try refuses("member.update", #"{"id": "\#(id)", "name": "C", "invited_by": "\#(id)"}"#, code: "invalid_params", field: "invited_by")
        #expect(try db.ok("member.get", #"{"id": "\#(id)"}"#)["name"] == "B")
    }

    @Test("a cursor that is not one is refused")
    func badCursor() throws {
        try refuses("member.list", #"{"cursor": "abc"}"#, code: "invalid_params", field: "cursor")
    }

    @Test("every error has a code of the contract, whatever the params", .tags(.property))
    func anyParamsAnswerAContractError() async throws {
        let codes = Set(CDSError.Code.allCases.map(\.rawValue))
        let fields = ["name", "gender", "roles", "residence_country", "origin", "languages", "skills", "email", "limit", "x", "heart_diaspora"]
        let values: [String] = ["null", "1", "-1", "\"\"", "\"f\"", "[]", "[1]", "{}", "true", "\"09.541\"", "[\"diaspora\"]", "1e400", "\"\\u0000\""]
        let methods = ["member.create", "member.update", "member.list", "organization.create", "agreement.sign", "territory.list", "competence.attest"]
        let gen = Gen.element(of: methods).map { $0 ?? "member.create" }
        let pairs = Gen.int(in: 0...(fields.count * values.count - 1)).array(of: 0...6)
        await propertyCheck(count: 200, input: gen, pairs) { method, picks in
            var seen = Set<String>()
            let body = picks.compactMap { p -> String? in
                let f = fields[p / values.count]
                guard seen.insert(f).inserted else { return nil }
                return "\"\(f)\": \(values[p % values.count])"
            }.joined(separator: ", ")
            let answer = db.call(method, "{\(body)}")
            let json = try? JSON.parse(answer.text)
            if answer.ok {
                #expect(json?["result"] != nil)
            } else {
                #expect(codes.contains(json?["error"]?["code"]?.stringValue ?? "?"), "\(answer.text)")
            }
        }
    }
}

extension Tag {
    @Tag static var property: Self
}
